//! `--format parquet`: chunks of records are generated straight into Arrow record batches on
//! the worker threads (`Plan::arrow_range`, no JSON text); this thread encodes them into row
//! groups in order (`testdata::export::parquet`), so the file is the same for any `--jobs`.

use std::ops::Range;
use std::path::Path;

use indicatif::ProgressBar;
use testdata::export::parquet::{DataType, Field, ParquetWriter, RecordColumns, SchemaRef, arrow_schema};

use super::CliError;
use super::generate::{Run, open_error, write_error};
use super::output::HashedOutput;
use crate::plan::Plan;

/// The Parquet columns of a plan's records: the schema's fields, then `_index` and `_scenario`.
pub fn columns(plan: &Plan) -> Result<SchemaRef, CliError> {
    let bookkeeping =
        vec![Field::new("_index", DataType::Int64, true), Field::new("_scenario", DataType::Utf8, true)];
    Ok(arrow_schema(&plan.schema().def().fields, bookkeeping)?)
}

/// Writes records `part` as one Parquet file to `path` (stdout when `None`): size and hash.
pub fn write_file(
    run: &Run,
    columns: &SchemaRef,
    path: Option<&Path>,
    hash: bool,
    part: Range<u64>,
    bar: &ProgressBar,
) -> Result<(u64, String), CliError> {
    let out = HashedOutput::create(path, hash).map_err(|e| open_error(path, e))?;
    let mut writer = ParquetWriter::new(out, columns.clone())?;
    RecordColumns::new(columns.clone())?; // the columns' types are supported (checked once)
    run.in_chunks(
        part,
        bar,
        |range| {
            let mut builders = RecordColumns::new(columns.clone())?;
            Ok(run.plan.arrow_range(range, &mut builders)?)
        },
        |batch| Ok(writer.write_batch(&batch)?),
    )?;
    writer.finish()?.finish().map_err(|e| write_error(path, e))
}
