SELECT 0 AS col, 'r' AS kind, CAST(x AS DOUBLE) AS num, CAST(NULL AS VARCHAR) AS str, r AS n FROM (SELECT "age" AS x, ROW_NUMBER() OVER (ORDER BY "age") - 1 AS r FROM small WHERE "label" IS NOT NULL AND "pred" IS NOT NULL AND "age" IS NOT NULL) ranked WHERE r IN (0, 1, 79, 80, 159, 160, 239, 240, 319, 320, 399, 400, 479, 480, 559, 560, 639, 640, 719, 720, 799)
UNION ALL
SELECT 1 AS col, 'v' AS kind, CAST(NULL AS DOUBLE) AS num, CAST("workclass" AS VARCHAR) AS str, COUNT(*) AS n FROM small WHERE "label" IS NOT NULL AND "pred" IS NOT NULL AND "workclass" IS NOT NULL GROUP BY "workclass"
UNION ALL
SELECT 2 AS col, 'r' AS kind, CAST(x AS DOUBLE) AS num, CAST(NULL AS VARCHAR) AS str, r AS n FROM (SELECT "education_num" AS x, ROW_NUMBER() OVER (ORDER BY "education_num") - 1 AS r FROM small WHERE "label" IS NOT NULL AND "pred" IS NOT NULL AND "education_num" IS NOT NULL) ranked WHERE r IN (0, 1, 79, 80, 159, 160, 239, 240, 319, 320, 399, 400, 479, 480, 559, 560, 639, 640, 719, 720, 799)
UNION ALL
SELECT 3 AS col, 'v' AS kind, CAST(NULL AS DOUBLE) AS num, CAST("sex" AS VARCHAR) AS str, COUNT(*) AS n FROM small WHERE "label" IS NOT NULL AND "pred" IS NOT NULL AND "sex" IS NOT NULL GROUP BY "sex"
UNION ALL
SELECT 4 AS col, 'r' AS kind, CAST(x AS DOUBLE) AS num, CAST(NULL AS VARCHAR) AS str, r AS n FROM (SELECT "hours_per_week" AS x, ROW_NUMBER() OVER (ORDER BY "hours_per_week") - 1 AS r FROM small WHERE "label" IS NOT NULL AND "pred" IS NOT NULL AND "hours_per_week" IS NOT NULL) ranked WHERE r IN (0, 1, 79, 80, 159, 160, 239, 240, 319, 320, 399, 400, 479, 480, 559, 560, 639, 640, 719, 720, 799)
UNION ALL
SELECT 5 AS col, 'r' AS kind, CAST(x AS DOUBLE) AS num, CAST(NULL AS VARCHAR) AS str, r AS n FROM (SELECT "weight_k" AS x, ROW_NUMBER() OVER (ORDER BY "weight_k") - 1 AS r FROM small WHERE "label" IS NOT NULL AND "pred" IS NOT NULL AND "weight_k" IS NOT NULL) ranked WHERE r IN (0, 1, 79, 80, 159, 160, 239, 240, 319, 320, 399, 400, 479, 480, 559, 560, 639, 640, 719, 720, 799)
UNION ALL
SELECT 6 AS col, 'v' AS kind, CAST("label" AS DOUBLE) AS num, CAST(NULL AS VARCHAR) AS str, COUNT(*) AS n FROM small WHERE "label" IS NOT NULL AND "pred" IS NOT NULL AND "label" IS NOT NULL GROUP BY "label"
UNION ALL
SELECT 7 AS col, 'v' AS kind, CAST("pred" AS DOUBLE) AS num, CAST(NULL AS VARCHAR) AS str, COUNT(*) AS n FROM small WHERE "label" IS NOT NULL AND "pred" IS NOT NULL AND "pred" IS NOT NULL GROUP BY "pred";
