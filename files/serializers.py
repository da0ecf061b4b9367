"""Files as each dialect spells them: App.net's file object, pnut's, diaspora's photo."""

from __future__ import annotations

from collections.abc import Callable

from adn_api.formats import iso_z

from .models import File
from .services import store
from .services.annotations import expand, expires_text, file_link


def _source(file: File) -> dict:
    app = file.source
    profile = getattr(app, "profile", None) if app is not None else None
    return {
        "name": app.name if app else "",
        "link": profile.link if profile else "",
        "client_id": app.client_id if app else "",
    }


def _derived_adn(file: File) -> dict:
    out = {}
    for key, d in file.derived.items():
        link = store.link(file.pk, key)
        entry = {
            "name": d["name"],
            "mime_type": d["mime_type"],
            "sha1": d["sha1"],
            "size": d["size"],
            "url": link.url,
            "url_expires": expires_text(link),
        }
        if d.get("width"):
            entry["image_info"] = {"width": d["width"], "height": d["height"]}
        out[key] = entry
    return out


class FileRendering:
    """What a page of files needs beyond the rows: their owners rendered once each, and their
    annotations with file references replaced (one query)."""

    def __init__(
        self,
        files: list[File],
        viewer,
        render_users: Callable[[list], list[dict]],
        *,
        write_token_for: set[int] = frozenset(),
        annotations: bool = False,
    ):
        self.viewer = viewer
        users = {f.user_id: f.user for f in files}
        self.users = dict(zip(users, render_users(list(users.values())), strict=True))
        self.write_token_for = write_token_for
        self.annotations = expand({f.pk: f.annotations for f in files}) if annotations else None

    def adn(self, file: File) -> dict:
        link = store.link(file.pk)  # expiring, as App.net's url; url_permanent when public
        data = {
            "id": str(file.pk),
            "created_at": iso_z(file.created_at),
            "complete": file.complete,
            "derived_files": _derived_adn(file),
            "kind": file.kind,
            "mime_type": file.mime_type,
            "name": file.name,
            "public": file.public,
            "sha1": file.sha1,
            "size": file.size,
            "source": _source(file),
            "total_size": file.total_size,
            "type": file.type,
            "user": self.users[file.user_id],
        }
        if file.complete:
            data["url"] = link.url
            data["url_expires"] = expires_text(link)
        if file.public:
            data["url_permanent"] = store.link(file.pk, permanent=True).url
            data["file_token_read"] = file.file_token_read
        if file.is_image:
            data["image_info"] = {"width": file.width, "height": file.height}
        if file.pk in self.write_token_for:
            data["file_token"] = file.file_token
        if self.annotations is not None:
            data["annotations"] = self.annotations.get(file.pk, [])
        return data

    def pnut(self, file: File) -> dict:
        """pnut 1.x's file: ``is_complete``, ``is_public``, ``url``/``url_expires_at``, sha256,
        ``derived_files``, the client as ``source {id, name, url}``."""
        adn = self.adn(file)
        source = adn["source"]
        data = {
            "id": adn["id"],
            "created_at": adn["created_at"],
            "is_complete": file.complete,
            "is_public": file.public,
            "kind": file.kind,
            "name": file.name,
            "type": file.type,
            "source": {"id": source["client_id"], "name": source["name"], "url": source["link"]},
            "user": adn["user"],
            "derived_files": {
                key: {
                    "mime_type": d["mime_type"],
                    "name": d["name"],
                    "sha256": file.derived[key].get("sha256", ""),
                    "size": d["size"],
                    "url": d["url"],
                    "url_expires_at": d["url_expires"],
                    **({"image_info": d["image_info"]} if "image_info" in d else {}),
                }
                for key, d in adn["derived_files"].items()
            },
        }
        if file.complete:  # pnut sets these only once the content is there
            data["mime_type"] = file.mime_type
            data["sha256"] = file.sha256
            data["size"] = file.size
            data["total_size"] = file.total_size
            data["url"] = adn["url"]
            data["url_expires_at"] = adn["url_expires"]
            if "url_permanent" in adn:  # a link that lasts while the file is public
                data["url_short"] = adn["url_permanent"]
        for key in ("image_info", "file_token", "file_token_read"):
            if key in adn:
                data[key] = adn[key]
        if "annotations" in adn:
            data["raw"] = {}
            for annotation in adn["annotations"]:
                data["raw"].setdefault(annotation["type"], []).append(annotation["value"])
        return data


def photo_to_diaspora(file: File) -> dict:
    """diaspora's photo: guid, created_at, dimensions, and its sizes as URLs."""
    raw = file_link(file).url
    small = file_link(file, "image_thumb_200s").url if "image_thumb_200s" in file.derived else raw
    large = file_link(file, "image_thumb_960r").url if "image_thumb_960r" in file.derived else raw
    return {
        "guid": file.guid,
        "created_at": iso_z(file.created_at),
        "dimensions": {"height": file.height, "width": file.width},
        "sizes": {"small": small, "medium": large, "large": large, "raw": raw},
    }
