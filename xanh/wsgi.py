import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xanh.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, URL patterns, schema) lives as long as the process. Moving it to the
# permanent generation keeps the garbage collector's full passes from walking it on every request burst; those
# passes were the p99 tail of the API lists (docs/benchmarks.md, "REST API list endpoints").
gc.freeze()
