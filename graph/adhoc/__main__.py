"""``python -m plangraph.graph.adhoc FD``: a query worker on socket FD (started by :class:`graph.adhoc.WorkerPool`)."""

import sys
from multiprocessing.connection import Connection

from plangraph.graph.adhoc.worker import main

main(Connection(int(sys.argv[1])))
