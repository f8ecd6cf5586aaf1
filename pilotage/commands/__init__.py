"""Sub-commands of the ``pilotage`` command line, one module each."""
