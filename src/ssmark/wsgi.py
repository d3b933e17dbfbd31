import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssmark.settings")
django_application = get_wsgi_application()

# The public hot paths (mark, verification page, anonymous registry) take a lean path in front
# of Django; everything else goes to Django unchanged (ssmark.licences.fastpath).
from ssmark.licences.fastpath import PublicFastPath  # noqa: E402

application = PublicFastPath(django_application)
