package io.lanewise.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** A PNG chart of the training loss (left axis) and the test accuracy (right axis) per epoch. */
final class TrainingChart {
    private TrainingChart() {
    }

    static void write(Path file, String title, List<double[]> epochs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeries loss = new XYSeries("training loss");
        XYSeries accuracy = new XYSeries("test accuracy");
        for (double[] e : epochs) {
            loss.add(e[0], e[1]);
            accuracy.add(e[0], e[2]);
        }
        XYPlot plot = new XYPlot(new XYSeriesCollection(loss), new NumberAxis("epoch"), new NumberAxis("loss"),
                new XYLineAndShapeRenderer(true, true));
        NumberAxis accuracyAxis = new NumberAxis("accuracy");
        accuracyAxis.setAutoRangeIncludesZero(false);
        plot.setRangeAxis(1, accuracyAxis);
        plot.setDataset(1, new XYSeriesCollection(accuracy));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer second = new XYLineAndShapeRenderer(true, true);
        second.setSeriesPaint(0, java.awt.Color.BLUE);
        plot.setRenderer(1, second);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ChartUtils.saveChartAsPNG(file.toFile(), new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), 800, 500);
    }
}
