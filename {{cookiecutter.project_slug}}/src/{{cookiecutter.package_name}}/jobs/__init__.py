"""Background jobs: heavy work in a worker process of its own, never in the server's.

- ``records.py``: what a job's record holds (state, progress, times), as every replica reads it;
- ``catalog.py``: the jobs there are, each a plain function of the data layer;
- ``queue.py``: the queue (Huey), submitting, cancelling and listing jobs, and the task that
  runs one in a worker;
- ``worker.py``: the worker process, and the supervisor that the server runs it under.
"""
