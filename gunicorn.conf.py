"""Read by gunicorn from the folder it starts in: the project's, for `make serve`,
`make bench` and `make load`."""

import gc


def _freeze() -> None:
    # The app (the catalog with every lesson rendered, templates, URL maps) lives as long
    # as the process. Out of the garbage collector's reach, it is not walked again by each
    # full collection (a 40-60 ms pause on a 2-core machine, seen in the dashboard's p99),
    # and a preloaded app's memory stays shared between the workers.
    gc.freeze()


def pre_fork(_server, _worker):
    _freeze()  # --preload (make serve): the app was built in this process


def post_worker_init(_worker):
    _freeze()  # without --preload each worker builds its own
