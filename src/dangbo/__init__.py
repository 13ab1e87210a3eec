"""dangbo — the digital platform of a Party committee."""
