"""diaspora's photos: ``GET/POST photos``, ``GET/DELETE photos/{guid}``, over the files rows.

A photo is an image file (App.net's ``kind: image``) of type ``org.diaspora.photo``; an upload
that is no image is refused (422), and ``set_profile_photo`` makes it the avatar too.
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from adn_api.dialects import DIASPORA
from adn_api.parsers import body_object
from adn_api.permissions import user_token
from adn_api.views import ApiView
from core.errors import Reason, Refused, invalid
from core.inputs import flag_value
from files.models import File
from files.serializers import photo_to_diaspora
from files.services import files, images, profile
from files.views import UPLOAD_LIMIT, uploaded_bytes

from .views import listed

READ = user_token()
WRITE = user_token("public:modify")
PHOTO_TYPE = "org.diaspora.photo"


class PhotosView(ApiView):
    dialect = DIASPORA
    access = {"GET": READ, "POST": WRITE}
    actions = {"POST": "create photo"}
    max_body = UPLOAD_LIMIT

    def get(self, request: Request):
        rows = File.objects.filter(
            user=self.viewer, purpose=File.Purpose.FILE, kind=File.Kind.IMAGE, complete=True
        )
        return listed(self, rows, lambda items: [photo_to_diaspora(f) for f in items])

    def post(self, request: Request):
        data = body_object(request)
        content = uploaded_bytes(request, "image")
        if content is None:
            raise invalid("The photo is required: a multipart part named image.")
        if not images.inspect(content).is_image:
            raise invalid("The upload is not an image.")
        file = files.create_file(
            self.viewer,
            type=PHOTO_TYPE,
            content=content,
            name=getattr(request.FILES.get("image"), "name", ""),
            source=self.source(),
        )
        if flag_value(data.get("set_profile_photo", False), "set_profile_photo"):
            profile.set_profile_image(self.viewer, content, File.Purpose.AVATAR)
        return Response(photo_to_diaspora(File.objects.get(pk=file.pk)))


class PhotoView(ApiView):
    dialect = DIASPORA
    access = {"GET": READ, "DELETE": WRITE}
    actions = {"DELETE": "delete photo"}

    def get(self, request: Request, guid: str):
        return Response(photo_to_diaspora(files.get_file_by_guid(self.viewer, guid)))

    def delete(self, request: Request, guid: str):
        file = files.get_file_by_guid(self.viewer, guid)
        if file.user_id != self.viewer.pk:
            raise Refused(Reason.NOT_ALLOWED, "Not your photo.", subject="file")
        files.delete_file(self.viewer, file)
        return Response(status=204)
