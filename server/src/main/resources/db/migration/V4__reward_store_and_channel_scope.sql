-- Where a catalogue reward can be redeemed (Reward.store_ids and Reward.channels): empty
-- arrays mean every store and every channel, so existing rewards keep redeeming everywhere.
ALTER TABLE rewards
    ADD COLUMN store_ids        TEXT[]      NOT NULL DEFAULT '{}',
    ADD COLUMN channels         TEXT[]      NOT NULL DEFAULT '{}'
        CHECK (channels <@ ARRAY['STAFFED_LANE', 'SELF_CHECKOUT', 'BACK_OFFICE', 'MEMBER_APP']);
