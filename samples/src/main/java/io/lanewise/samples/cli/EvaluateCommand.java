package io.lanewise.samples.cli;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code lanewise evaluate}: accuracy and confusion matrix of a saved model on a data set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on a data set: prints 'accuracy: 0.xxxx' and the confusion matrix. "
                + "Digits and CSV data are evaluated whole; Fashion-MNIST on its test part.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        var out = command.commandLine().getOut();
        try (Network network = model.load(); SharedModel shared = SharedModel.of(network);
             Predictor predictor = shared.newPredictor(Evaluation.BATCH)) {
            Evaluation evaluation = Evaluation.of(predictor, data.loadForEvaluation());
            out.printf("accuracy: %.4f%n", evaluation.accuracy());
            evaluation.printConfusion(out);
        }
        return 0;
    }
}
