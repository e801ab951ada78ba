SELECT column_name, data_type FROM `INFORMATION_SCHEMA.COLUMNS`
WHERE table_name = 'small' ORDER BY ordinal_position;
