"""Import, people from address books and services: vCards and their contact CSVs.

A contact is matched by its UID, else its source's own id, else one of its emails or
phones, else its exact name (core/matching.py), and only fills in what the journal
lacks.
"""

from rapport.core.details import Detail, add_details, note_source, source_row
from rapport.core.import_people import PeopleImporter
from rapport.core.matching import Wanted
from rapport.core.people import change_stage, check_stage
from rapport.errors import BadValue
from rapport.models import Person, new_uid, pk
from rapport.names import name_key
from rapport.transfer.contact import Contact


class ContactImporter(PeopleImporter):
    """People from contacts; core/importing.py builds on it for the rest of the tables."""

    def contact(self, contact: Contact) -> None:
        """A contact from an address book or a service: the person with its UID, else its
        source's id, else one of its emails or phones, else its exact name."""
        if contact.name.isdigit():
            raise BadValue(f"'{contact.name}' would be read as a person's number; give a name")
        stage = check_stage(contact.stage) if contact.stage else None
        wanted = Wanted(
            contact.name,
            uid=contact.uid,
            source=contact.source,
            source_id=contact.source_id,
            emails=contact.emails,
            phones=contact.phones,
        )
        found = self.known.find(wanted)
        tally = self.tallies["people"]
        if found is None:
            person = Person(
                uid=contact.uid if contact.uid and contact.uid not in self.by_uid else new_uid(),
                name=contact.name,
                name_key=name_key(contact.name),
                company=contact.company,
                email=contact.email,
                phone=contact.phone,
                birthday=contact.birthday,
                title=contact.title,
                notes=contact.note,
                stage=stage or "acquaintance",
                created_at=contact.began or self.now,
            )
            self._add_person(person, None, contact.tags)
            self._add_contact_details(person, contact)
            self._imported_stage(person)
            self.known.claim(pk(person), wanted)
            self.known.remember(person, emails=contact.emails, phones=contact.phones)
            tally.count(added=True, name=person.name)
            return
        person = self.session.get_one(Person, found)
        self.known.claim(found, wanted)
        # What the journal holds stays; a contact fills in what it lacks. Two address books
        # that disagree then never undo each other, and importing again changes nothing.
        offered = {
            "company": contact.company,
            "birthday": contact.birthday,
            "title": contact.title,
            "email": contact.email,
            "phone": contact.phone,
            "notes": contact.note,
        }
        values = {k: v for k, v in offered.items() if not getattr(person, k)}
        changed = self._assign(person, values)
        changed = self._renamed_there(person, contact) or changed
        changed = self._add_contact_details(person, contact) or changed
        changed = self._add_tags(person, contact.tags) or changed
        # A stage moves a newcomer on, never a relationship the journal has moved itself.
        if stage is not None and person.stage == "acquaintance" and stage != person.stage:
            change_stage(self.session, person, stage, why="imported", at=self.now)
            changed = True
        if changed:
            self.known.remember(person, emails=contact.emails, phones=contact.phones)
        tally.count(changed=changed, name=person.name)

    def _add_contact_details(self, person: Person, contact: Contact) -> bool:
        def labelled(kind: str, values: list[str]) -> list[Detail]:
            return [Detail(kind, value, contact.labels.get(value)) for value in values]

        details = labelled("email", contact.emails) + labelled("phone", contact.phones)
        details += labelled("address", contact.addresses) + labelled("url", contact.urls)
        changed = add_details(self.session, person, details)
        if contact.source_id is not None:
            note_source(self.session, person, contact.source, contact.source_id, contact.name)
        return changed

    def _renamed_there(self, person: Person, contact: Contact) -> bool:
        """A new name under a known id is a rename at the source: it wins, unless the
        source still says what it said last time (then the name typed here stays)."""
        if contact.source_id is None:
            return False
        row = source_row(self.session, contact.source, contact.source_id)
        if row is None or row.person_id != person.id or row.name == contact.name:
            return False
        return self._rename(person, contact.name)
