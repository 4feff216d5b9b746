"""What gunicorn serves in the bench (`bench_app:app`): the app of the checkout being measured
(its `wsgi.py`, first on the path) with the bench-only page of bench_pages.py added."""

from bench_pages import add_bench_pages  # this folder is on the path after the checkout

from wsgi import app

add_bench_pages(app)
