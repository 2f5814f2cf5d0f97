SELECT COUNT(*) FROM dim_wilayah;
