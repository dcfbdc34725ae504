package io.lanewise.samples;

import io.lanewise.samples.cli.Commands;

/** The {@code lanewise} command line: train, evaluate, predict, serve and bench. */
public final class Main {
    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(Commands.commandLine().execute(args.length == 0 ? new String[] {"train"} : args));
    }
}
