package io.lanewise.samples;

/**
 * The {@code lanewise} command line. For now one job: {@code train} (the default), which trains the
 * reference network on the built-in two-spirals problem.
 */
public final class Main {
    private Main() {
    }

    /** Runs the command named by the first argument. */
    public static void main(String[] args) {
        String command = args.length == 0 ? "train" : args[0];
        switch (command) {
            case "train" -> {
                int epochs = args.length > 1 ? parseEpochs(args[1]) : 300;
                SpiralsDemo.run(epochs, System.out);
            }
            case "-h", "--help", "help" -> usage();
            default -> {
                System.err.println("lanewise: unknown command '" + command + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static int parseEpochs(String text) {
        try {
            int epochs = Integer.parseInt(text);
            if (epochs > 0) {
                return epochs;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println("lanewise: epochs must be a positive integer, got '" + text + "'");
        System.exit(2);
        return 0;
    }

    private static void usage() {
        System.err.println("usage: lanewise [train [EPOCHS]]   train on the built-in two-spirals problem (default 300 epochs)");
    }
}
