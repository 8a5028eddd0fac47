"""The learned recall layer: clause embeddings and per-concept classifiers beside the rules.

The rules are precise but only know the wordings they were written for; this layer reads each
clause of a report with a sentence-embedding model and flags concepts the rules did not see.
Its findings keep ConText's assertion and show the clause they came from.
"""
