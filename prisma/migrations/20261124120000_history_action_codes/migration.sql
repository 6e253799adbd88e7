-- The change history records each move by its code (send, accept, retry-export …), the words people
-- read ("accepted", "re-sent") are made where the history is shown.
UPDATE "HistoryEntry" SET "action" = CASE "action"
    WHEN 'sent' THEN 'send'
    WHEN 're-sent' THEN 'resend'
    WHEN 'retrieved' THEN 'retrieve'
    WHEN 'accepted' THEN 'accept'
    WHEN 'rejected' THEN 'reject'
    WHEN 'sent for another export attempt' THEN 'retry-export'
    WHEN 'voided' THEN 'void'
    WHEN 'failed to export' THEN 'export-failed'
    WHEN 'released by an operator' THEN 'release'
    ELSE "action"
END;
