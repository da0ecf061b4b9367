"""One post as the pages show it, written in Python rather than a template: a page holds up to a
hundred, and Django's template engine spent most of a thread page's time on them (bench/web).

Every value from a user goes through ``format_html`` (Django's escaping, as autoescape would);
the post's text is its stored entity html with links (``rendering.linked_html``). The markup is
what ``site.css`` styles: an ``article.post`` with the author, the text, photos and actions.
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .rendering import Card, when


def _avatar(card: Card) -> SafeString:
    if card.avatar:
        image = format_html(
            '<img class="avatar-img s48" src="{}" alt="" width="48" height="48" loading="lazy">',
            card.avatar,
        )
    else:
        image = format_html(
            '<span class="avatar-img initial s48 hue-{}">{}</span>', card.hue, card.initial
        )
    return format_html(
        '<a class="avatar" href="{}" tabindex="-1" aria-hidden="true">{}</a>',
        card.author_url,
        image,
    )


def _photos(card: Card) -> SafeString:
    return format_html_join(
        "",
        '<a class="photo" href="{}"><img src="{}" alt="{}"{} loading="lazy"></a>',
        (
            (
                photo.url,
                photo.thumbnail,
                photo.title or "Photo",
                format_html(' width="{}" height="{}"', photo.width, photo.height)
                if photo.width and photo.height
                else "",
            )
            for photo in card.photos
        ),
    )


def _count(n: int) -> SafeString:
    return format_html(' <span class="n">{}</span>', n) if n else mark_safe("")


def _button(card: Card, hidden: SafeString, action: str, on: bool, icon: str, words: tuple, n):
    return format_html(
        '<form method="post" action="{}/{}">{}<button type="submit" class="act{}" '
        'aria-pressed="{}">{} <span class="label">{}</span>{}</button></form>',
        card.url,
        action,
        hidden,
        " on" if on else "",
        "true" if on else "false",
        icon,
        words[1] if on else words[0],
        _count(n),
    )


def _actions(card: Card, request, signed_in: bool) -> SafeString:
    post = card.post
    if not signed_in:
        return format_html(
            '<span class="act static" title="Replies">↩ {}</span>'
            '<span class="act static" title="Reposts">↻ {}</span>'
            '<span class="act static" title="Stars">★ {}</span>',
            post.num_replies,
            post.num_reposts,
            post.num_stars,
        )
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    back = format_html(
        '{}<input type="hidden" name="next" value="{}#post-{}">',
        csrf,
        request.get_full_path(),
        card.row.pk,
    )
    reply = format_html(
        '<a class="act" href="/compose?reply_to={}" aria-label="Reply to @{}">↩ '
        '<span class="label">Reply</span>{}</a>',
        post.pk,
        post.user.username,
        _count(post.num_replies),
    )
    if card.is_own:
        repost = format_html(
            '<span class="act static" title="Reposts">↻ {}</span>', post.num_reposts
        )
        more = format_html(
            '<form method="post" action="{}/delete">{}<button type="submit" class="link danger">'
            "Delete this post</button></form>",
            card.url,
            csrf,
        )
    else:
        verb = "unrepost" if card.reposted else "repost"
        words = ("Repost", "Reposted")
        repost = _button(card, back, verb, card.reposted, "↻", words, post.num_reposts)
        more = format_html(
            '<form method="post" action="{}/report">{}<input type="hidden" name="next" value="{}">'
            '<button type="submit" class="link danger">Report as spam (and mute @{})</button>'
            "</form>",
            card.url,
            csrf,
            request.get_full_path(),
            post.user.username,
        )
    verb = "unstar" if card.starred else "star"
    star = _button(card, back, verb, card.starred, "★", ("Star", "Starred"), post.num_stars)
    return format_html(
        '{}{}{}<details class="more"><summary class="act" aria-label="More actions">⋯</summary>'
        '<div class="menu">{}</div></details>',
        reply,
        repost,
        star,
        more,
    )


def post_card(
    card: Card, request, *, signed_in: bool, highlight: bool = False, in_thread: bool = False
) -> SafeString:
    post = card.post
    classes = "post" + (" deleted" if post.is_deleted else "") + (" main" if highlight else "")
    reposted = (
        format_html(
            '<p class="reposted">↻ <a href="/{}">@{}</a> reposted</p>',
            card.reposter.username,
            card.reposter.username,
        )
        if card.reposter
        else ""
    )
    if post.is_deleted:
        body = mark_safe('<p class="gone">This post was deleted.</p>')
    else:
        name = format_html("<strong>{}</strong> ", post.user.name) if post.user.name else ""
        context = (
            format_html('<p class="context"><a href="{}">↩ In a conversation</a></p>', card.url)
            if post.reply_to_id and not in_thread
            else ""
        )
        body = format_html(
            '{}<div class="body"><header><a class="who" href="{}">{}<span class="handle">@{}'
            '</span></a><a class="when" href="{}"><time datetime="{}">{}</time></a></header>'
            '<div class="text">{}</div>{}{}<footer class="actions">{}</footer></div>',
            _avatar(card),
            card.author_url,
            name,
            post.user.username,
            card.url,
            post.created_at.isoformat(),
            when(post.created_at),
            card.html,
            _photos(card),
            context,
            _actions(card, request, signed_in),
        )
    return format_html(
        '<article class="{}" id="post-{}" data-post-id="{}">{}{}</article>',
        classes,
        card.row.pk,
        post.pk,
        reposted,
        body,
    )
