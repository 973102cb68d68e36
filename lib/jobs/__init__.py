"""Background work that outlives a page: the queue, the tasks, the workers and the schedules.

Pages and schedules call ``lib.jobs.service.start_job``; a worker (embedded in the app or
``python -m lib.jobs.worker``) runs the job by calling the same service function a page
would. The queue carries only job ids; each job's state is a row of ``jobs``.
"""
