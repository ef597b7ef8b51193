"""Hand-written variants of the reference solutions: wrong, correct-but-different, broken."""

from __future__ import annotations

from tests.support.submissions import Variant

WRONG: list[Variant] = [
    Variant(
        "schema_amount_as_string",
        "schema",
        "transaction_schema",
        """
        def transaction_schema():
            return StructType([
                StructField("name", StringType()), StructField("surname", StringType()),
                StructField("amount", StringType()), StructField("delta_t", DoubleType()),
                StructField("flag", IntegerType()),
            ])
    """,
        breaks=("transaction_schema",),
    ),
    Variant(
        "schema_without_flag",
        "schema",
        "transaction_schema",
        """
        def transaction_schema():
            return StructType([
                StructField("name", StringType()), StructField("surname", StringType()),
                StructField("amount", DoubleType()), StructField("delta_t", DoubleType()),
            ])
    """,
        breaks=("transaction_schema",),
    ),
    Variant(
        "schema_capitalised_name",
        "schema",
        "transaction_schema",
        """
        def transaction_schema():
            return StructType([
                StructField("Name", StringType()), StructField("surname", StringType()),
                StructField("amount", DoubleType()), StructField("delta_t", DoubleType()),
                StructField("flag", IntegerType()),
            ])
    """,
        breaks=("transaction_schema",),
    ),
    Variant(
        "names_with_amount",
        "parser",
        "select_names",
        """
        def select_names(raw, schema):
            parsed = raw.select(f.from_json("value", schema).alias("data"))
            return parsed.select("data.name", "data.surname", "data.amount")
    """,
        breaks=("select_names",),
    ),
    Variant(
        "names_renamed_surname",
        "parser",
        "select_names",
        """
        def select_names(raw, schema):
            parsed = raw.select(f.from_json("value", schema).alias("data"))
            return parsed.select("data.name", f.col("data.surname").alias("last_name"))
    """,
        breaks=("select_names",),
    ),
    Variant(
        "parse_only_names",
        "parser",
        "parse_transactions",
        """
        def parse_transactions(raw, schema):
            return raw.select(f.from_json("value", schema).alias("data")).select(
                "data.name", "data.surname")
    """,
        breaks=("parse_transactions",),
    ),
    Variant(
        "parse_collects_to_static",
        "parser",
        "parse_transactions",
        """
        def parse_transactions(raw, schema):
            rows = raw.select(f.from_json("value", schema).alias("data")).select("data.*")
            return rows.sparkSession.createDataFrame(rows.collect(), schema)
    """,
        breaks=("parse_transactions",),
    ),
    Variant(
        "parse_drops_flagged",
        "parser",
        "parse_transactions",
        """
        def parse_transactions(raw, schema):
            parsed = raw.select(f.from_json("value", schema).alias("data")).select("data.*")
            return parsed.where(f.col("flag") == 0)
    """,
        breaks=("parse_transactions",),
    ),
    Variant(
        "counts_every_message",
        "aggregation",
        "flagged_counts",
        """
        def flagged_counts(parsed):
            return (parsed.withColumn("userID", f.concat("name", "surname"))
                    .groupBy("userID").count())
    """,
        breaks=("flagged_counts",),
    ),
    Variant(
        "counts_flag_zero",
        "aggregation",
        "flagged_counts",
        """
        def flagged_counts(parsed):
            return (parsed.where(f.col("flag") == 0)
                    .withColumn("userID", f.concat("name", "surname"))
                    .groupBy("userID").count())
    """,
        breaks=("flagged_counts",),
    ),
    Variant(
        "counts_userid_with_space",
        "aggregation",
        "flagged_counts",
        """
        def flagged_counts(parsed):
            return (parsed.where(f.col("flag") == 1)
                    .withColumn("userID", f.concat_ws(" ", "name", "surname"))
                    .groupBy("userID").count())
    """,
        breaks=("flagged_counts",),
    ),
    Variant(
        "counts_drop_duplicates",
        "aggregation",
        "flagged_counts",
        """
        def flagged_counts(parsed):
            return (parsed.where(f.col("flag") == 1).dropDuplicates()
                    .withColumn("userID", f.concat("name", "surname"))
                    .groupBy("userID").count())
    """,
        breaks=("flagged_counts",),
    ),
    Variant(
        "suspicious_at_least_one",
        "aggregation",
        "suspicious_users",
        """
        def suspicious_users(counts):
            return (counts.where(f.col("count") >= 1).withColumn("isFraud", f.lit(True))
                    .select("userID", "isFraud", "count"))
    """,
        breaks=("suspicious_users",),
    ),
    Variant(
        "suspicious_flag_as_text",
        "aggregation",
        "suspicious_users",
        """
        def suspicious_users(counts):
            return (counts.where(f.col("count") > 1).withColumn("isFraud", f.lit("yes"))
                    .select("userID", "isFraud", "count"))
    """,
        breaks=("suspicious_users",),
    ),
    Variant(
        "suspicious_without_count",
        "aggregation",
        "suspicious_users",
        """
        def suspicious_users(counts):
            return (counts.where(f.col("count") > 1).withColumn("isFraud", f.lit(True))
                    .select("userID", "isFraud"))
    """,
        breaks=("suspicious_users",),
    ),
    Variant(
        "socket_wrong_port",
        "query",
        "socket_source",
        """
        def socket_source(spark, host, port):
            return (spark.readStream.format("socket").option("host", host)
                    .option("port", 1).load())
    """,
        breaks=("socket_source",),
    ),
    Variant(
        "socket_static_frame",
        "query",
        "socket_source",
        """
        def socket_source(spark, host, port):
            return spark.createDataFrame([], "value STRING")
    """,
        breaks=("socket_source",),
    ),
    Variant(
        "writer_without_truncate",
        "query",
        "console_writer",
        """
        def console_writer(df, output_mode="update"):
            return (df.writeStream.outputMode(output_mode).format("console")
                    .trigger(processingTime="2 seconds"))
    """,
        breaks=("console_writer",),
    ),
    Variant(
        "writer_ignores_mode",
        "query",
        "console_writer",
        """
        def console_writer(df, output_mode="update"):
            return (df.writeStream.outputMode("update").format("console")
                    .trigger(processingTime="2 seconds").option("truncate", False))
    """,
        breaks=("console_writer",),
    ),
    Variant(
        "writer_starts_the_query",
        "query",
        "console_writer",
        """
        def console_writer(df, output_mode="update"):
            return (df.writeStream.outputMode(output_mode).format("console")
                    .trigger(processingTime="2 seconds").option("truncate", False).start())
    """,
        breaks=("console_writer",),
    ),
]

CORRECT: list[Variant] = [
    Variant(
        "schema_floats_longs_reordered",
        "schema",
        "transaction_schema",
        """
        from pyspark.sql.types import FloatType, LongType

        def transaction_schema():
            return StructType([
                StructField("flag", LongType()), StructField("amount", FloatType()),
                StructField("surname", StringType()), StructField("delta_t", FloatType()),
                StructField("name", StringType()),
            ])
    """,
    ),
    Variant(
        "schema_built_with_add",
        "schema",
        "transaction_schema",
        """
        def transaction_schema():
            return (StructType().add("name", "string").add("surname", "string")
                    .add("amount", "double").add("delta_t", "double").add("flag", "integer"))
    """,
    ),
    Variant(
        "parse_drops_bad_lines",
        "parser",
        "parse_transactions",
        """
        def parse_transactions(raw, schema):
            parsed = raw.select(f.from_json(f.col("value"), schema).alias("data"))
            return parsed.select("data.*").dropna(how="all")
    """,
    ),
    Variant(
        "names_through_star",
        "parser",
        "select_names",
        """
        def select_names(raw, schema):
            parsed = raw.select(f.from_json("value", schema).alias("data")).select("data.*")
            return parsed.select(f.col("surname"), f.col("name"))
    """,
    ),
    Variant(
        "counts_sql_where_and_agg",
        "aggregation",
        "flagged_counts",
        """
        def flagged_counts(parsed):
            return (parsed.where("flag = 1")
                    .select(f.concat_ws("", "name", "surname").alias("userID"))
                    .groupBy("userID").agg(f.count("*").alias("count")))
    """,
    ),
    Variant(
        "counts_sql_over_temp_view",
        "aggregation",
        "flagged_counts",
        """
        def flagged_counts(parsed):
            parsed.createOrReplaceTempView("transactions")
            return parsed.sparkSession.sql(
                "SELECT concat(name, surname) AS userID, count(*) AS count "
                "FROM transactions WHERE flag = 1 GROUP BY concat(name, surname)")
    """,
    ),
    Variant(
        "suspicious_integer_flag_reordered",
        "aggregation",
        "suspicious_users",
        """
        def suspicious_users(counts):
            return counts.filter("count > 1").select("count", "userID", f.lit(1).alias("isFraud"))
    """,
    ),
    Variant(
        "suspicious_flag_from_comparison",
        "aggregation",
        "suspicious_users",
        """
        def suspicious_users(counts):
            marked = counts.withColumn("isFraud", f.col("count") > 1)
            return marked.where(f.col("isFraud")).select("userID", "isFraud", "count")
    """,
    ),
    Variant(
        "writer_options_in_other_order",
        "query",
        "console_writer",
        """
        def console_writer(df, output_mode="update"):
            return (df.writeStream.options(truncate="false").trigger(processingTime="2 seconds")
                    .format("console").outputMode(output_mode))
    """,
    ),
    Variant(
        "socket_with_options",
        "query",
        "socket_source",
        """
        def socket_source(spark, host, port):
            return spark.readStream.format("socket").options(host=host, port=str(port)).load()
    """,
    ),
]

BROKEN: list[Variant] = [
    Variant(
        "syntax_error",
        "aggregation",
        append="def oops(:\n",
        breaks=("flagged_counts", "suspicious_users"),
    ),
    Variant(
        "missing_module", "query", delete_module=True, breaks=("socket_source", "console_writer")
    ),
    Variant(
        "missing_function",
        "aggregation",
        "suspicious_users",
        """
        def suspicious(counts):
            return counts
    """,
        breaks=("suspicious_users",),
    ),
    Variant(
        "wrong_return_type",
        "aggregation",
        "flagged_counts",
        """
        def flagged_counts(parsed):
            return [row.asDict() for row in parsed.limit(3).collect()]
    """,
        breaks=("flagged_counts",),
    ),
    Variant(
        "infinite_loop",
        "parser",
        "select_names",
        """
        def select_names(raw, schema):
            while True:
                pass
    """,
        breaks=("select_names",),
    ),
    Variant(
        "exit_at_import",
        "schema",
        append="import sys\nsys.exit(3)\n",
        breaks=("transaction_schema",),
    ),
]
