-- Remove the roster snapshot, the claims and the remembered review decisions before a new snapshot is loaded (same transaction).
-- Spells go before the workers they reference.
DELETE FROM fact_kepesertaan;
DELETE FROM dim_peserta;
DELETE FROM fact_klaim;
DELETE FROM keputusan_tinjauan;
