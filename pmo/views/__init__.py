"""Views of the PMO: instrumen (the head fills it in), review (facilitator,
forum pokja), wilayah (coordinator)."""
