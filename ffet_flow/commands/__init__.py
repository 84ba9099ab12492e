"""One module per `ffet` subcommand (HELP, register(parser), run(args))."""
