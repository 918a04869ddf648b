"""Cycle calendars: the clinic calendar, plan computation, iCalendar export and calendar pages."""
