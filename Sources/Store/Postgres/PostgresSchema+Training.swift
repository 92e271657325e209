extension PostgresSchema {
    /// Training items' gold answers for the rater who just answered one (`rate --training`,
    /// ProjectSession.goldFeedback). Raters cannot read `gold` (gold questions are blind);
    /// this function shows a rater the answers of a training item, and only once they have
    /// submitted an answer of their own to it, exactly as the SQLite store decides.
    static let training = """
        CREATE FUNCTION concord.training_answers(p_item bigint, p_as text DEFAULT NULL)
        RETURNS TABLE (criterion text, value text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
        BEGIN
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'submitLabels');
            IF NOT EXISTS (SELECT 1 FROM training_item t WHERE t.item_id = p_item)
               OR NOT EXISTS (SELECT 1 FROM label l WHERE l.item_id = p_item AND l.rater_id = v_actor.id AND l.value <> '') THEN
                RETURN;
            END IF;
            RETURN QUERY SELECT g.criterion, g.value FROM gold g WHERE g.item_id = p_item ORDER BY g.id;
        END
        $$;
        GRANT EXECUTE ON FUNCTION concord.training_answers(bigint, text) TO \(groups(allowedTo: .submitLabels));
        """
}
