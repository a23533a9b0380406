-- A sale's lines as one row of arrays, in basket order, instead of a row per line. A sale
-- wrote 7.6 line rows on average in the load test, each with its entry in the primary key:
-- over half of the rows and 40 % of the index entries a sale wrote. The lines are written
-- once, by the statement that completes the sale, and changed only by returns, one element
-- at a time (TransactionStore.addReturned, which refuses to take a line past what it sold).
-- A line is found by its id, so a sale's ids are distinct: the request's validation refuses
-- a basket with two lines of one id, and the store checks it again before it writes them
-- (a check here would cost a function call and a sort on every sale). Decision 37.
--
-- transaction_lines stays as a view with the old table's columns, so every query that read
-- the lines (and every operator's) reads them as before.
CREATE TABLE sale_lines (
    transaction_id              TEXT        PRIMARY KEY,
    line_ids                    TEXT[]      NOT NULL,
    skus                        TEXT[]      NOT NULL,
    quantities                  BIGINT[]    NOT NULL,
    -- Spend after the POS's discounts, and the part of it that earns (and qualifies).
    net_minor                   BIGINT[]    NOT NULL,
    eligible_minor              BIGINT[]    NOT NULL,
    points                      BIGINT[]    NOT NULL,
    returned_quantities         BIGINT[]    NOT NULL,
    reversed_points             BIGINT[]    NOT NULL,
    CHECK (cardinality(skus) = cardinality(line_ids)
        AND cardinality(quantities) = cardinality(line_ids)
        AND cardinality(net_minor) = cardinality(line_ids)
        AND cardinality(eligible_minor) = cardinality(line_ids)
        AND cardinality(points) = cardinality(line_ids)
        AND cardinality(returned_quantities) = cardinality(line_ids)
        AND cardinality(reversed_points) = cardinality(line_ids)),
    CHECK (0 < ALL (quantities) AND 0 <= ALL (returned_quantities)
        AND 0 <= ALL (reversed_points))
);

INSERT INTO sale_lines (transaction_id, line_ids, skus, quantities, net_minor, eligible_minor,
        points, returned_quantities, reversed_points)
SELECT transaction_id, array_agg(line_id ORDER BY line_no), array_agg(sku ORDER BY line_no),
       array_agg(quantity ORDER BY line_no), array_agg(net_minor ORDER BY line_no),
       array_agg(eligible_minor ORDER BY line_no), array_agg(points ORDER BY line_no),
       array_agg(returned_quantity ORDER BY line_no), array_agg(reversed_points ORDER BY line_no)
FROM transaction_lines
GROUP BY transaction_id;

DROP TABLE transaction_lines;

CREATE VIEW transaction_lines AS
SELECT s.transaction_id, (u.ord - 1)::INT AS line_no, u.line_id, u.sku, u.quantity,
       u.net_minor, u.eligible_minor, u.points, u.returned_quantity, u.reversed_points
FROM sale_lines s,
     unnest(s.line_ids, s.skus, s.quantities, s.net_minor, s.eligible_minor, s.points,
            s.returned_quantities, s.reversed_points) WITH ORDINALITY
         AS u (line_id, sku, quantity, net_minor, eligible_minor, points, returned_quantity,
               reversed_points, ord);
