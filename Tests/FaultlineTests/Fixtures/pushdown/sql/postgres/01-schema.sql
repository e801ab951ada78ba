SELECT attname AS column_name, format_type(atttypid, atttypmod) AS column_type
FROM pg_attribute WHERE attrelid = 'small'::regclass AND attnum > 0 AND NOT attisdropped
ORDER BY attnum;
