-- Indexes the sale's one-statement posting reads through (docs/decisions.md §24).
--
-- The tier window's spend is summed from the index alone (amount included), instead of
-- one heap page per purchase of the member's year. The lots expiring soon are found by
-- member first: the older expiry index alone, filtered by member, would read every lot in
-- the program that expires within the window.
--
-- Plain CREATE INDEX blocks writes to the table while it builds. On a large live database,
-- build both first by hand with CREATE INDEX CONCURRENTLY, same names and definitions:
-- this migration then finds them and only drops the index the first one replaces.
CREATE INDEX IF NOT EXISTS spend_member_time_amount_idx
    ON spend_events (member_id, occurred_at) INCLUDE (amount_minor);
DROP INDEX IF EXISTS spend_member_time_idx;
CREATE INDEX IF NOT EXISTS point_lots_member_expiry_idx
    ON point_lots (member_id, expires_at) INCLUDE (remaining) WHERE remaining > 0;
