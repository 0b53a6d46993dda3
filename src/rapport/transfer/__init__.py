"""CSV, vCard and iCalendar in and out: formats only, no database."""
