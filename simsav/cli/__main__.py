"""``python -m simsav.cli``: the ``simsav`` command without its console script."""
from . import main

main()
