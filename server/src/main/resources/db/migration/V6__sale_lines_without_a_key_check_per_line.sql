-- A sale's lines are written by the statement that completes the sale, from the sale's own
-- row as that statement updates it (TransactionStore.complete: INSERT ... SELECT FROM the
-- UPDATE ... RETURNING), and sales are never deleted: a line without its sale cannot arise.
-- The foreign key checked it once per line, an index probe and a row lock each (7.6 lines
-- a sale in the load test's baskets), and took a third of that statement's time. The
-- reliability suite's ledger audit checks that no line lacks its sale. Decision 28.
ALTER TABLE transaction_lines DROP CONSTRAINT IF EXISTS transaction_lines_transaction_id_fkey;
