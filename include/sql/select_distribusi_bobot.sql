-- The match-weight histogram of the month's run, lowest bin first.
SELECT bobot_dari, bobot_sampai, jumlah
FROM distribusi_bobot
WHERE periode = :periode
ORDER BY bobot_dari;
