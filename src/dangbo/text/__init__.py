"""Vietnamese text helpers: normalisation, search folding, names and collation."""
