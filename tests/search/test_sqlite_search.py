"""Search on the embedded default (SQLite): post search answered by the FTS5 table that triggers
keep (a new post, an edit of its text, a deletion), FTS5 syntax read as words, the triggers put
back by ``migrate`` after a table rebuild dropped them, and places' distances in SQLite's SQL.
Run in a process of its own with a SQLite ``DATABASE_URL``, as a newcomer's server would be."""

from __future__ import annotations

import json

import pytest

from tests.processes import embedded_manage

pytestmark = pytest.mark.slow

SCRIPT = """
import json
from django.db import connection
from django.test import Client
from posts.models import Post
from posts.services.posting import create_post
from users.models import User

client = Client(SERVER_NAME="localhost")


def search(**params):
    response = client.get("/stream/0/posts/search", params)
    body = response.json()
    if response.status_code != 200:
        return response.status_code
    return [int(p["id"]) for p in body["data"]]


alice = User.objects.create_user(username="alice", password="a long password")
cats = create_post(alice, text="I love cats and kittens")
dogs = create_post(alice, text="dogs are better than cats")
other = create_post(alice, text="nothing to see")
out = {
    "cats": search(query="cats"),
    "two_words": search(query="love cats"),
    "score": search(query="cats love", order="score"),
    "syntax": [search(query=q) for q in ['"cats', "cats*", "cats NEAR dogs", "o'cats",
                                         "cats & | ! ( ) :*", "NEAR/2", "^cats", "-dogs"]],
    "only_syntax": search(query="& | !"),
    "empty": search(query=""),
    "long": search(query="x" * 10_000),
    "order": search(query="cats", order="random"),
}
Post.objects.filter(pk=other.pk).update(text="now about cats too")  # an edit: the trigger
out["edited"] = search(query="cats")
out["edited_old_word"] = search(query="nothing")
Post.objects.filter(pk=dogs.pk).delete()
out["deleted"] = search(query="dogs")
# Places too: the box and the haversine distance in SQL on SQLite's math functions.
from places.models import Place
from places.services.places import PlaceSearch, search_places
Place.objects.create(factual_id="1", name="Near", latitude=37.7766, longitude=-122.3947)
Place.objects.create(factual_id="2", name="Far", latitude=37.8044, longitude=-122.2712)
found = search_places(PlaceSearch.parse({"latitude": "37.7769", "longitude": "-122.395",
                                         "radius": "20000"}))
out["places"] = [(p.name, round(p.distance)) for p in found]
with connection.cursor() as cursor:  # what a table rebuild does to the triggers
    cursor.execute("DROP TRIGGER search_post_fts_insert")
print("RESULT " + json.dumps(out))
print("IDS " + json.dumps({"cats": cats.pk, "dogs": dogs.pk, "other": other.pk}))
"""

AFTER_MIGRATE = """
import json
from django.test import Client
from posts.services.posting import create_post
from users.models import User

late = create_post(User.objects.get(username="alice"), text="a zebra after the rebuild")
found = Client(SERVER_NAME="localhost").get("/stream/0/posts/search", {"query": "zebra"})
print("RESULT " + json.dumps([int(p["id"]) for p in found.json()["data"]] == [late.pk]))
"""


def printed(output: str, tag: str):
    line = next(line for line in output.splitlines() if line.startswith(tag))
    return json.loads(line.removeprefix(tag))


def test_post_search_on_sqlite_uses_fts5_kept_by_triggers(tmp_path):
    manage = embedded_manage(tmp_path / "db.sqlite3")
    manage("migrate", "-v0")
    output = manage("shell", "-v0", "-c", SCRIPT)
    out = printed(output, "RESULT ")
    ids = printed(output, "IDS ")
    assert out["cats"] == [ids["dogs"], ids["cats"]]
    assert out["two_words"] == [ids["cats"]]
    assert out["score"] == [ids["cats"]]
    assert all(isinstance(found, list) for found in out["syntax"]), out["syntax"]
    assert out["syntax"][0] == [ids["dogs"], ids["cats"]]  # '"cats' is the word cats
    assert out["only_syntax"] == []
    assert (out["empty"], out["long"], out["order"]) == (400, 400, 400)
    assert out["edited"] == [ids["other"], ids["dogs"], ids["cats"]]
    assert out["edited_old_word"] == []
    assert out["deleted"] == []
    assert [name for name, _ in out["places"]] == ["Near", "Far"]
    assert 40 < out["places"][0][1] < 45 and 11_000 < out["places"][1][1] < 11_600
    manage("migrate", "-v0")  # puts the dropped trigger back and rebuilds the index
    assert printed(manage("shell", "-v0", "-c", AFTER_MIGRATE), "RESULT ") is True
