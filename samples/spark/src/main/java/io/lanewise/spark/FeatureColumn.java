package io.lanewise.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A features column as the network reads it: a Spark ML {@link Vector}, an {@code array<float>} or an
 * {@code array<double>} of exactly the network's input width. The type is checked against the schema once;
 * each row is then copied into a float batch, and a row of the wrong width, or with a NaN or infinite value
 * (or one too large for float32), is reported naming the column, the partition and the row.
 */
final class FeatureColumn implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private enum Kind { VECTOR, FLOAT_ARRAY, DOUBLE_ARRAY }

    private final String name;
    private final int index;
    private final Kind kind;
    private final int width;

    private FeatureColumn(String name, int index, Kind kind, int width) {
        this.name = name;
        this.index = index;
        this.kind = kind;
        this.width = width;
    }

    /**
     * The column {@code name} of {@code schema}, read as rows of {@code width} features.
     *
     * @throws IllegalArgumentException if there is no such column or its type is not one of those read
     */
    static FeatureColumn of(StructType schema, String name, int width) {
        StructField field = field(schema, name, "features");
        DataType type = field.dataType();
        Kind kind;
        if (type instanceof VectorUDT) {
            kind = Kind.VECTOR;
        } else if (type instanceof ArrayType array && array.elementType().equals(DataTypes.FloatType)) {
            kind = Kind.FLOAT_ARRAY;
        } else if (type instanceof ArrayType array && array.elementType().equals(DataTypes.DoubleType)) {
            kind = Kind.DOUBLE_ARRAY;
        } else {
            throw new IllegalArgumentException("features column '" + name + "' must be a Spark ML vector "
                    + "(org.apache.spark.ml.linalg), array<float> or array<double> of " + width + " values, got "
                    + type.simpleString());
        }
        return new FeatureColumn(name, schema.fieldIndex(name), kind, width);
    }

    /**
     * The field {@code name} of {@code schema}.
     *
     * @throws IllegalArgumentException naming the role of the column and the columns there are
     */
    static StructField field(StructType schema, String name, String role) {
        if (schema.getFieldIndex(name).isEmpty()) {
            throw new IllegalArgumentException("no " + role + " column '" + name + "': the columns are "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.fields()[schema.fieldIndex(name)];
    }

    /** The column's name. */
    String name() {
        return name;
    }

    /** The column's position in the rows read. */
    int index() {
        return index;
    }

    /**
     * Copies the features of {@code row} into {@code dst[offset .. offset + width)}.
     *
     * @param skipInvalid whether a null or non-finite row is skipped (false returned) rather than reported
     * @param partition   the partition, for messages
     * @param rowNumber   the row's number in its partition, for messages
     * @return true if the row was copied, false if it was skipped
     * @throws IllegalArgumentException if the row has the wrong width, or is null or not finite and not skipped
     */
    boolean copy(Row row, float[] dst, int offset, boolean skipInvalid, int partition, long rowNumber) {
        if (row.isNullAt(index)) {
            if (skipInvalid) {
                return false;
            }
            throw new IllegalArgumentException("features column '" + name + "' is null at row " + rowNumber
                    + " of partition " + partition + ": drop such rows first, or set handleInvalid to 'skip'");
        }
        if (kind == Kind.VECTOR) {
            copyVector(row.<Vector>getAs(index), dst, offset, partition, rowNumber);
        } else if (!copyList(row.getList(index), dst, offset, skipInvalid, partition, rowNumber)) {
            return false;
        }
        for (int i = 0; i < width; i++) {
            if (!Float.isFinite(dst[offset + i])) {
                if (skipInvalid) {
                    return false;
                }
                throw new IllegalArgumentException("features column '" + name + "' holds " + dst[offset + i]
                        + " (as float32) at feature " + i + " of row " + rowNumber + " of partition " + partition
                        + ": expected finite values; clean them first, or set handleInvalid to 'skip'");
            }
        }
        return true;
    }

    private void copyVector(Vector v, float[] dst, int offset, int partition, long rowNumber) {
        checkWidth(v.size(), partition, rowNumber);
        if (v instanceof DenseVector dense) {
            double[] values = dense.values();
            for (int i = 0; i < width; i++) {
                dst[offset + i] = (float) values[i];
            }
        } else {
            SparseVector sparse = (SparseVector) v;
            Arrays.fill(dst, offset, offset + width, 0f);
            int[] indices = sparse.indices();
            double[] values = sparse.values();
            for (int k = 0; k < indices.length; k++) {
                dst[offset + indices[k]] = (float) values[k];
            }
        }
    }

    private boolean copyList(List<?> values, float[] dst, int offset, boolean skipInvalid, int partition, long rowNumber) {
        checkWidth(values.size(), partition, rowNumber);
        for (int i = 0; i < width; i++) {
            Object value = values.get(i);
            if (value == null) {
                if (skipInvalid) {
                    return false;
                }
                throw new IllegalArgumentException("features column '" + name + "' has a null element at feature " + i
                        + " of row " + rowNumber + " of partition " + partition);
            }
            dst[offset + i] = ((Number) value).floatValue();
        }
        return true;
    }

    private void checkWidth(int actual, int partition, long rowNumber) {
        if (actual != width) {
            throw new IllegalArgumentException("features column '" + name + "' has " + actual + " values at row "
                    + rowNumber + " of partition " + partition + ", but the network takes " + width);
        }
    }
}
