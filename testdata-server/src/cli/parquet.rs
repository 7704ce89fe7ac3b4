//! `--format parquet`: chunks are generated as JSON Lines and decoded into Arrow record
//! batches on the worker threads; this thread encodes them into row groups in order
//! (`testdata::export::parquet`), so the file is the same for any `--jobs`.

use std::ops::Range;
use std::path::Path;

use indicatif::ProgressBar;
use testdata::export::parquet::{DataType, Field, ParquetWriter, RecordDecoder, SchemaRef, arrow_schema};

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
    let decoder = RecordDecoder::new(columns.clone());
    run.in_chunks(
        part,
        bar,
        |range| Ok(decoder.decode_jsonl(&run.encode_chunk(range)?)?),
        |batch| Ok(writer.write_batch(&batch)?),
    )?;
    writer.finish()?.finish().map_err(|e| write_error(path, e))
}
