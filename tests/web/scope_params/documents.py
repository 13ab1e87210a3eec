"""The documents register's path parameter for the scope walker: a document in each organisation of
both trees (plus one that does not exist); office staff and secretaries open those of their subtree,
members none."""

from dangbo.documents.services import document_issue


def provide(world, congresses, role, seen_orgs, seen_members):
    docs = {}
    for org in (world.root, world.a, world.a2, world.b, world.other, world.x1):
        doc = document_issue(actor=None, holder=org, doc_type="TB", subject="Thông báo lịch sinh hoạt")
        docs[doc.id] = org
    ids = {"document_id": [*docs, 987654]}
    visible = {"document_id": {d for d, org in docs.items() if org in seen_orgs and role != "member"}}
    return ids, visible
