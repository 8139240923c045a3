"""One module per lab command; each has ``add_parser(subparsers)`` and sets ``func``."""
