package io.github.s3batchspark.manifest;

import java.io.Closeable;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * The rows of one inventory data file, in {@link InventoryColumns}' order and types, read on an
 * executor from the file's checked bytes. Closing releases the stream or local copy.
 */
interface InventoryFileRows extends Iterator<Row>, Closeable {}
