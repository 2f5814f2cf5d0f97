"""The stages as the DAGs call them: each a short function of settings and periods.

    ingest("p3ke", settings, periods, run_id)   # read, normalise, validate, stage the dataset
    link_people(settings)                       # match once per dataset
    decide(settings, periode)                   # one month's outcomes and bills
    prepare_load(settings, run_id, periods); load_snapshot(settings, run_id); load_period(settings, periode, run_id)
    write_report(settings, periode)             # the eight files of <reports>/<periode>/

Stages hand over through the staging folder (Parquet), never through XCom;
each returns a small summary dict without personal data.
"""

from __future__ import annotations

import gc
import json
import logging
import os
from pathlib import Path

import pandas as pd

from include.decide import Dataset, birth_window_reasons, decide_period
from include.matching import Links, link_staged
from include.model import KUALITAS_COLUMNS, Snapshot
from include.policy import Policy, default_policy
from include.settings import Settings
from include.sources import SOURCES
from include.sources.landing import LandingFile, list_files
from include.sources.spec import SourceSpec
from include.sources.staging import StagedRows, load_dataset, read_staged
from include.wilayah import load_wilayah

log = logging.getLogger(__name__)
SNAPSHOT_PESERTA = [
    "kpj", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_kemdagri", "tanggal_kepesertaan",
    "status_kepesertaan", "tanggal_nonaktif", "alasan_nonaktif", "sumber_dana", "upah_dilaporkan", "berkas", "baris",
]
SNAPSHOT_KLAIM = ["kpj", "nik", "jenis_klaim", "tanggal_kejadian", "tanggal_bayar", "nilai_manfaat", "berkas",
                  "baris"]


class ValidationFailed(Exception):
    """A file broke a file-level rule: the run fails and alerts. The message holds no personal data."""


def _dataset_dir(settings: Settings) -> Path:
    return Path(settings.staging) / "dataset"


def _write_json(value: object, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(value, indent=2, sort_keys=True, default=str), encoding="utf-8")
    os.replace(temp, path)


def check_file_shares(frame: pd.DataFrame, folder: str, policy: Policy, periods: list[str]) -> None:
    """Fail when a file of the frame has more than the allowed share of quarantined rows (WILAYAH_DI_LUAR
    aside): the first file in name order over the limit, for its own codes or with a month's birth-date
    window. The frame holds every row of its files; a file read in parts is judged by ingest as its parts
    come (include.validation.file_rules.QuarantineShares)."""
    from include.validation.file_rules import QuarantineShares

    shares = QuarantineShares(policy.karantina_maks_persen)
    _count_shares(shares, frame, folder, periods)
    _fail_on_shares(shares, frame["berkas"].unique(), folder, policy)


def _count_shares(shares, frame: pd.DataFrame, folder: str, periods: list[str]) -> None:
    """Count a frame's rows into the files' quarantine shares (a variant per month for P3KE's birth dates)."""
    late = []
    if "tanggal_lahir" in frame and folder == "p3ke":
        late = [birth_window_reasons(frame["tanggal_lahir"], periode) for periode in periods]
    shares.add(frame["berkas"], frame["baris"], frame["alasan"], late)


def _fail_on_shares(shares, files, folder: str, policy: Policy) -> None:
    failing = shares.failure(files)
    if failing is not None:
        raise ValidationFailed(
            f"{folder}/{failing.berkas}: {failing.share:.1f} % of rows quarantined "
            f"(> {policy.karantina_maks_persen:g} %): {failing.codes}; "
            "fix those rows or remove the file from the landing zone"
        )


def _landing_files(settings: Settings, spec: SourceSpec, names: set[str] | None = None) -> list[LandingFile]:
    """The source's landing files (`names`: only those), fingerprints remembered in the staging area (a
    file unchanged since the last listing is not read again: planning, staging and ingest each list them)."""
    from include.sources.staging import fingerprint_dir

    return list_files(settings.landing, spec, memo_dir=fingerprint_dir(settings.staging), names=names)


def staging_batches(name: str, settings: Settings, workers: int | None = None) -> list[list[str]]:
    """The source's landing files not staged yet, dealt into at most `workers` batches of about equal
    bytes (largest first), for a mapped task per batch: on a worker pool the files of a national
    dataset (one per kabupaten/kota) are parsed in parallel, and ingest then finds them all staged.
    Names only (no personal data): what XCom carries. Everything staged already: one empty batch.

    No file is read here: a file whose fingerprint is remembered is left out when its content is staged
    (or is another file's), a new one is dealt out and fingerprinted by the task that stages it."""
    from include.sources.landing import remembered_files
    from include.sources.staging import fingerprint_dir, is_content_staged

    workers = workers or settings.ingest_workers
    spec = SOURCES[name].SPEC
    todo, seen = [], set()
    for file_name, size, sha in remembered_files(settings.landing, spec, fingerprint_dir(settings.staging)):
        if sha is not None:
            done = sha in seen or is_content_staged(settings.staging, spec, sha)
            seen.add(sha)
            if done:
                continue
        todo.append((file_name, size))
    batches: list[list[str]] = [[] for _ in range(max(1, workers))]
    loads = [0] * len(batches)
    for file_name, size in sorted(todo, key=lambda f: (-f[1], f[0])):
        lightest = loads.index(min(loads))
        batches[lightest].append(file_name)
        loads[lightest] += size
    # Never an empty list: a mapped task over nothing is skipped, and ingest after it would be skipped too.
    return [batch for batch in batches if batch] or [[]]


def stage_batch(name: str, settings: Settings, names: list[str]) -> dict:
    """Parse and stage the named landing files of a source. A file that cannot be used is left for
    ingest, which fails the run on it with the error users see."""
    from include.sources import SourceFileError
    from include.sources.staging import stage

    spec = SOURCES[name].SPEC
    staged, left = 0, []
    for landing_file in _landing_files(settings, spec, names=set(names)) if names else []:
        if landing_file.is_duplicate:
            continue
        try:
            stage(landing_file, spec, settings.staging, block_rows=settings.part_rows)
            staged += 1
        except SourceFileError:
            left.append(landing_file.name)
    log.info("staged %s: %d files, %d left for ingest to report", name, staged, len(left))
    return {"sumber": name, "berkas": staged, "ditinggal": len(left)}


def ingest_groups(settings: Settings, spec: SourceSpec, files: list[LandingFile]) -> list[list[StagedRows]]:
    """The staged rows a dataset is read from (files in name order, each content once), in groups of about
    RENTAN_PART_ROWS rows: a group is read, validated and written before the next is read, so memory
    follows the group, not the country. A file of more rows (a national roster) is cut into parts of
    RENTAN_PART_ROWS rows, each a group of its own; a smaller file is never cut. A dataset without files
    is one empty group. Files not staged yet are staged here."""
    import pyarrow.parquet as pq

    from include.sources.staging import StagedRows, stage

    part = settings.part_rows
    groups: list[list[StagedRows]] = [[]]
    rows, seen = 0, set()
    for landing_file in sorted(files, key=lambda f: f.name):
        if landing_file.is_duplicate or landing_file.sha256 in seen:
            continue
        seen.add(landing_file.sha256)
        held = pq.read_metadata(stage(landing_file, spec, settings.staging, block_rows=part)).num_rows
        if held > part:
            if not groups[-1]:
                groups.pop()
            groups.extend([StagedRows(landing_file, start, min(start + part, held), held)]
                          for start in range(0, held, part))
            groups.append([])
            rows = 0
            continue
        if groups[-1] and rows + held > part:
            groups.append([])
            rows = 0
        groups[-1].append(StagedRows(landing_file, 0, held, held))
        rows += held
    return groups[:-1] if len(groups) > 1 and not groups[-1] else groups


def _read_group(settings: Settings, spec: SourceSpec, group: list[StagedRows]) -> pd.DataFrame:
    """The frame of a group: its whole files (load_dataset), or the part of a file that is the group."""
    from include.sources.staging import load_rows

    if len(group) == 1 and not group[0].is_whole:
        return load_rows(settings.staging, spec, group[0])
    return load_dataset(settings.staging, spec, [rows.file for rows in group])


def _kpj_ke_file(settings: Settings, spec: SourceSpec, group: list[StagedRows], held: dict) -> pd.Series | None:
    """For a group that is a part of a roster file: its rows' KPJ occurrence numbers over the whole file
    (KPJ_GANDA across the parts), counted once per file from the staged KPJs and kept until its last part."""
    import pyarrow.parquet as pq

    from include.sources.staging import staged_path
    from include.validation.checks import kpj_ke_in_file

    if spec.name != "peserta" or len(group) != 1 or group[0].is_whole:
        return None
    rows = group[0]
    if rows.file.sha256 not in held:
        held.clear()
        kpj = pq.read_table(staged_path(settings.staging, spec, rows.file.sha256), columns=["kpj"])["kpj"]
        held[rows.file.sha256] = kpj_ke_in_file(kpj)
    numbers = held[rows.file.sha256].iloc[rows.start:rows.stop].reset_index(drop=True)
    if rows.is_last:
        held.clear()
    return numbers


def _dataset_schema(settings: Settings, spec: SourceSpec, groups: list[list[StagedRows]], first):
    """The Arrow schema of a dataset written group by group: the columns and order the whole dataset
    would have (every staged file's columns, then what ingest adds), each column the type of the staged
    files (a column no group-0 row fills is not left typeless), and the first group's pandas metadata, a
    column that group leaves empty recorded as the type it has in the dataset."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from include.sources.parquet_blocks import pandas_type
    from include.sources.staging import staged_path

    shas = dict.fromkeys(rows.file.sha256 for group in groups for rows in group)
    shards = [pq.read_schema(staged_path(settings.staging, spec, sha)) for sha in shas]
    staged = pa.unify_schemas(shards, promote_options="permissive").remove_metadata() if shards else pa.schema([])
    names = [*staged.names, *(n for n in first.schema.names if n not in staged.names)]
    fields = []
    for column in names:
        kind = staged.field(column).type if column in staged.names else first.schema.field(column).type
        if pa.types.is_null(kind):
            kind = first.schema.field(column).type if column in first.schema.names else kind
        fields.append(pa.field(column, pa.string() if pa.types.is_null(kind) else kind))
    metadata = pandas_type(first.schema.metadata, {f.name: f.type for f in fields if f.name in first.schema.names})
    return pa.schema(fields, metadata=metadata)  # pandas' dtypes (Int64 ...) come back on reading


def _as_schema(table, schema, label: str):
    """The group's table with exactly the schema's columns and types (a column the group lacks: nulls)."""
    import pyarrow as pa

    arrays = []
    for field in schema:
        column = table.column(field.name) if field.name in table.schema.names else pa.nulls(table.num_rows, field.type)
        if column.type != field.type:
            try:
                column = column.cast(field.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                raise ValueError(f"{label}: column {field.name} is {column.type} in one group of files and "
                                 f"{field.type} in another; the staged files disagree") from None
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=schema)


def ingest(name: str, settings: Settings, periods: list[str], run_id: str, policy: Policy | None = None) -> dict:
    """Read, normalise, validate and stage one source's dataset; fail the run on a file-level rule.

    The files are read, validated and written a group at a time (ingest_groups: a file of more than
    RENTAN_PART_ROWS rows a part at a time, its KPJ_GANDA and quarantine share counted over the whole
    file); the review decisions, joined with those remembered in the warehouse, are one group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from include.validation.file_rules import QuarantineShares
    from include.validation.runner import build_docs, validate_rows

    policy = policy or default_policy()
    spec = SOURCES[name].SPEC
    files = _landing_files(settings, spec)
    groups = ingest_groups(settings, spec, files) if name != "tinjauan" else [[]]
    known_kpj = None
    if name == "klaim":
        peserta = read_staged(_dataset_dir(settings) / "peserta.parquet", columns=["kpj", "alasan"])
        known_kpj = peserta.loc[peserta["alasan"] == "", "kpj"].dropna()
    target = _dataset_dir(settings) / f"{name}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    writer, schema, rows = None, None, 0
    rule_counts: dict[str, int] = {}
    baris: dict[str, int] = {}
    karantina: dict[str, int] = {}
    docs = None
    shares, kpj_ke_held = QuarantineShares(policy.karantina_maks_persen), {}
    try:
        for number, group in enumerate(groups, start=1):
            kpj_ke_file = _kpj_ke_file(settings, spec, group, kpj_ke_held)  # before the group's frame is read
            frame = _read_group(settings, spec, group) if name != "tinjauan" else load_dataset(settings.staging,
                                                                                                spec, files)
            batch = f"{name}_kelompok_{number}_dari_{len(groups)}" if len(groups) > 1 else None
            result = validate_rows(name, frame, region=settings.region, known_kpj=known_kpj, run_name=run_id,
                                   docs_dir=settings.data_docs, batch=batch, site=number == len(groups),
                                   kpj_ke_file=kpj_ke_file)
            frame["alasan"] = result.alasan.to_numpy()
            frame["peringatan"] = result.peringatan.to_numpy()
            if name != "tinjauan":  # a file is judged once all its rows are in
                _count_shares(shares, frame, spec.folder, periods)
                _fail_on_shares(shares, [rows.file.name for rows in group if rows.is_last], spec.folder, policy)
            if name == "p3ke":
                frame["urut"] = range(rows, rows + len(frame))
            if name == "tinjauan":
                frame = pd.concat([remembered_decisions(settings), frame], ignore_index=True)
            rows += len(frame)
            for code, count in result.rule_counts.items():
                rule_counts[code] = rule_counts.get(code, 0) + count
            for berkas, count in frame["berkas"].value_counts().items():
                baris[berkas] = baris.get(berkas, 0) + int(count)
            for berkas, count in frame.loc[frame["alasan"] != "", "berkas"].value_counts().items():
                karantina[berkas] = karantina.get(berkas, 0) + int(count)
            docs = result.docs_index
            table = pa.Table.from_pandas(frame, preserve_index=False)
            del frame, kpj_ke_file
            if writer is None:
                schema = _dataset_schema(settings, spec, groups, table) if len(groups) > 1 else table.schema
                writer = pq.ParquetWriter(temp, schema)
            writer.write_table(_as_schema(table, schema, f"{name} dataset") if len(groups) > 1 else table)
            del table, result
            gc.collect()  # the validation leaves reference cycles holding the group's frames
        writer.close()
        writer = None
        os.replace(temp, target)
    except ValidationFailed:  # the Data Docs show the groups validated, the failing file's among them
        build_docs(docs_dir=settings.data_docs, run_name=run_id)
        raise
    finally:
        if writer is not None:
            writer.close()
        temp.unlink(missing_ok=True)
    berkas = [
        {"sumber": name, "berkas": f.name, "sha256": f.sha256, "duplikat_dari": f.duplicate_of,
         "baris": baris.get(f.name, 0), "karantina": karantina.get(f.name, 0)}
        for f in files
    ]
    _write_json(berkas, _dataset_dir(settings) / f"{name}_berkas.json")
    summary = {"sumber": name, "berkas": len(files), "baris": rows, "karantina": sum(karantina.values()),
               "aturan": {k: v for k, v in rule_counts.items() if v}, "data_docs": docs}
    if len(groups) > 1:
        summary["kelompok"] = len(groups)
    log.info("ingested %s: %s", name, json.dumps(summary, sort_keys=True))
    return summary


def remembered_decisions(settings: Settings) -> pd.DataFrame:
    """Review decisions kept in the warehouse by earlier runs; the landing zone's files come after them."""
    from include.warehouse import get_engine, read_keputusan_tinjauan

    remembered = read_keputusan_tinjauan(get_engine(settings.warehouse_url))
    return remembered.assign(alasan="", peringatan="", sha256="")


def decisions_in_force(tinjauan: pd.DataFrame) -> pd.DataFrame:
    """One verdict per (id_individu, kandidat_kpj): the latest (remembered first, then files in name order)."""
    valid = tinjauan[tinjauan["alasan"] == ""].copy()
    valid["kandidat_kpj"] = valid["kandidat_kpj"].fillna("")
    columns = ["id_individu", "kandidat_kpj", "keputusan", "berkas", "baris"]
    return valid.drop_duplicates(["id_individu", "kandidat_kpj"], keep="last")[columns].reset_index(drop=True)


LINK_IDENTITY = ["nama", "nik", "nik_rusak_excel", "jenis_kelamin", "tanggal_lahir", "kode_kemdagri", "alasan"]
# What linking reads of the dataset (and what its fingerprint covers): the identities, reason codes and
# decisions; a stage reads only the columns it uses of a national dataset.
LINK_COLUMNS = {"p3ke": ["urut", "id_individu", "id_keluarga_p3ke", *LINK_IDENTITY], "peserta": ["kpj", *LINK_IDENTITY],
                "klaim": ["alasan"], "tinjauan": None}
SNAPSHOT_COLUMNS = {"p3ke": ["alasan"], "peserta": [*SNAPSHOT_PESERTA, "alasan"], "klaim": [*SNAPSHOT_KLAIM, "alasan"],
                    "tinjauan": None}
# What deciding a month reads: the staged text columns become Python strings in memory, so the address,
# household and raw-cell columns no report shows are left in the Parquet file (half the P3KE columns).
DECIDE_COLUMNS = {
    "p3ke": ["urut", "berkas", "baris", "id_individu", "id_keluarga_p3ke", "nama", "nik", "jenis_kelamin",
             "tanggal_lahir", "kode_kemdagri", "desil_kesejahteraan", "pekerjaan", "padan_dukcapil", "alasan"],
    "peserta": [*SNAPSHOT_PESERTA, "alasan", "peringatan"],
    "klaim": ["kpj", "nik", "tanggal_bayar", "nilai_manfaat", "berkas", "baris", "alasan"],
    "tinjauan": None,
}


def load_validated(settings: Settings, columns: dict[str, list[str] | None] | None = None,
                   arrow_text: bool = False) -> Dataset:
    """The validated dataset staged by the last ingest; `columns`: per source, only these (None: all);
    arrow_text: P3KE and roster text in Arrow (read_staged)."""
    import pyarrow.parquet as pq

    folder = _dataset_dir(settings)
    columns = columns or {}
    frames = {}
    for name in SOURCES:
        path = folder / f"{name}.parquet"
        wanted = columns.get(name)
        if wanted is not None:  # an optional column no landing file had is not in the staged file either
            present, optional = set(pq.read_schema(path).names), set(SOURCES[name].SPEC.optional)
            wanted = [c for c in wanted if c in present or c not in optional]
        frames[name] = read_staged(path, columns=wanted, arrow_text=arrow_text and name in ("p3ke", "peserta"))
    tinjauan = frames["tinjauan"]
    invalid = tinjauan["alasan"] != ""
    return Dataset(p3ke=frames["p3ke"], peserta=frames["peserta"], klaim=frames["klaim"], tinjauan=tinjauan[~invalid],
                   kualitas=dataset_kualitas(settings, tinjauan))


def dataset_kualitas(settings: Settings, tinjauan: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dataset-wide data-quality counts (KUALITAS_COLUMNS): landing files skipped as duplicates per
    source, review decisions not used."""
    folder = _dataset_dir(settings)
    kualitas = []
    for name in SOURCES:
        files = json.loads((folder / f"{name}_berkas.json").read_text(encoding="utf-8"))
        skipped = sum(1 for f in files if f["duplikat_dari"])
        kualitas.append(pd.DataFrame({"sumber": [name], "temuan": ["BERKAS_DUPLIKAT_DILEWATI"], "jumlah": [skipped]}))
    if tinjauan is None:
        tinjauan = read_staged(folder / "tinjauan.parquet", columns=["alasan"])
    kualitas.append(pd.DataFrame({"sumber": ["tinjauan"], "temuan": ["KEPUTUSAN_TIDAK_DIPAKAI"],
                                  "jumlah": [int((tinjauan["alasan"] != "").sum())]}))
    return pd.concat(kualitas, ignore_index=True)[KUALITAS_COLUMNS]


def file_audit(settings: Settings) -> pd.DataFrame:
    """One row per landing file of the dataset (sumber, berkas, sha256, baris, karantina, status)."""
    rows = []
    for name in SOURCES:
        for f in json.loads((_dataset_dir(settings) / f"{name}_berkas.json").read_text(encoding="utf-8")):
            status = f"DUPLIKAT:{f['duplikat_dari']}" if f["duplikat_dari"] else "DIBACA"
            rows.append({**{k: f[k] for k in ("sumber", "berkas", "sha256", "baris", "karantina")}, "status": status})
    return pd.DataFrame(rows, columns=["sumber", "berkas", "sha256", "baris", "karantina", "status"])


FINGERPRINT_BATCH_ROWS = 200_000  # staged rows hashed at a time


def dataset_fingerprint(settings: Settings, policy: Policy) -> str:
    """A digest of everything linking depends on: the staged P3KE and roster identities with their reason
    codes, the decisions (LINK_COLUMNS) and the matching policy. Hashed as Arrow record batches (their IPC
    bytes), straight from the staging files: no conversion of a national dataset to Python objects."""
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    digest = hashlib.sha256(f"{policy.ambang_atas}|{policy.ambang_bawah}|{policy.seed}".encode())
    for name in ("p3ke", "peserta", "tinjauan"):
        staged = pq.ParquetFile(_dataset_dir(settings) / f"{name}.parquet")
        columns = LINK_COLUMNS[name]
        schema = staged.schema_arrow.remove_metadata()
        schema = pa.schema([schema.field(c) for c in columns if c in schema.names]) if columns else schema
        digest.update(f"{name}|{staged.metadata.num_rows}|{schema}".encode())
        for batch in staged.iter_batches(batch_size=FINGERPRINT_BATCH_ROWS, columns=columns):
            digest.update(batch.serialize())
    return digest.hexdigest()[:16]


def link_people(settings: Settings, policy: Policy | None = None, deal: bool = True) -> dict:
    """Match once per dataset: P3KE people and their roster participants.

    The Splink model is estimated once per dataset (fixed seed) and kept as
    <data>/models/<fingerprint>.json; the same dataset is re-linked from that
    model, so a month can be re-decided identically. deal: also deal the dataset
    into the parts a month is decided in (deal_parts); the DAG does that in a task
    of its own, a process whose memory is not what matching left behind.
    """
    policy = policy or default_policy()
    fingerprint = dataset_fingerprint(settings, policy)
    folder = Path(settings.staging) / "links"
    marker = folder / "fingerprint.txt"
    model = Path(settings.data_dir) / "models" / f"{fingerprint}.json" if policy.metode == "splink" else None
    if marker.exists() and marker.read_text(encoding="utf-8").strip() == fingerprint:
        links = Links.load(folder)
        reused = True
    else:
        tinjauan = read_staged(_dataset_dir(settings) / "tinjauan.parquet")
        links = link_staged(_dataset_dir(settings) / "p3ke.parquet", _dataset_dir(settings) / "peserta.parquet",
                            tinjauan[tinjauan["alasan"] == ""], policy,
                            model_json=model if model and model.exists() else None, save_model_to=model)
        links.save(folder)
        marker.write_text(fingerprint + "\n", encoding="utf-8")
        reused = False
    summary = {"orang": int(links.orang.nunique()), "tertaut": len(links.peserta),
               "cara": {str(k): int(v) for k, v in links.peserta["cara"].value_counts().items()},
               "ragu": len(links.ragu), "model": str(model) if model else None, "dipakai_ulang": reused}
    if deal:
        summary["bagian"] = split_for_decide(settings, links, fingerprint)
    log.info("linked: %s", json.dumps(summary, sort_keys=True))
    return summary


def deal_parts(settings: Settings) -> int:
    """Deal the linked dataset into the parts a month is decided in (split_for_decide, after link_people):
    the number of parts."""
    folder = Path(settings.staging) / "links"
    marker = folder / "fingerprint.txt"
    if not marker.exists():
        raise RuntimeError(f"{folder}: the dataset has not been linked; run match_people "
                           "(include.pipeline.link_people) before dealing it into parts")
    return split_for_decide(settings, Links.load(folder), marker.read_text(encoding="utf-8").strip())


def _parts_dir(settings: Settings) -> Path:
    return Path(settings.staging) / "bagian"


def split_for_decide(settings: Settings, links: Links, fingerprint: str) -> int:
    """Deal the dataset into the closed parts a month is decided in (include.partitions), once per dataset:
    the split is kept while the links, the staged files and RENTAN_PART_ROWS are unchanged. The number
    of parts."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from include.partitions import plan_parts, read_plan, split_dataset

    folder = _dataset_dir(settings)
    files = {name: folder / f"{name}.parquet" for name in ("p3ke", "peserta", "klaim")}
    stamp = {"tautan": fingerprint, "baris_per_bagian": settings.part_rows,
             "berkas": {name: [path.stat().st_size, path.stat().st_mtime_ns] for name, path in files.items()}}
    kept = read_plan(_parts_dir(settings))
    if kept is not None and {key: kept.get(key) for key in stamp} == stamp:
        return len(kept["bagian"])
    roster = pq.read_table(files["peserta"], columns=["kpj", "alasan"])
    valid = pc.equal(roster["alasan"], "").fill_null(False).to_numpy()
    plan = plan_parts(pq.read_metadata(files["p3ke"]).num_rows, links.orang, links.peserta[["orang", "kpj"]],
                      links.ragu, roster["kpj"], valid, pq.read_metadata(files["klaim"]).num_rows, settings.part_rows)
    del roster
    split_dataset(folder, _parts_dir(settings), plan, DECIDE_COLUMNS, stamp)
    log.info("dataset dealt into %d parts for the decisions: %s", plan.parts, json.dumps(plan.rows()))
    return plan.parts


def load_part(settings: Settings, part: int) -> Dataset:
    """One part of the dataset as decide reads it (DECIDE_COLUMNS); the dataset-wide quality counts are
    not a part's (dataset_kualitas)."""
    folder = _parts_dir(settings) / str(part)
    frames = {name: read_staged(folder / f"{name}.parquet") for name in ("p3ke", "peserta", "klaim")}
    return Dataset(**frames, tinjauan=pd.DataFrame(columns=["id_individu", "kandidat_kpj", "keputusan"]),
                   kualitas=pd.DataFrame(columns=KUALITAS_COLUMNS))


def _plan(settings: Settings) -> dict:
    """The split the parts of a month must come from (split_for_decide's rencana.json)."""
    from include.partitions import read_plan

    plan = read_plan(_parts_dir(settings))
    if plan is None:
        raise RuntimeError(f"{_parts_dir(settings)}: the dataset has not been dealt into parts; run match_people "
                           "(include.pipeline.link_people) before deciding a month")
    return plan


def _decided_parts_dir(settings: Settings, periode: str) -> Path:
    return Path(settings.staging) / "keputusan" / ".bagian" / periode


def decide_part(settings: Settings, part: int, periods: list[str], policy: Policy | None = None) -> dict:
    """Decide every month of the run for one part of the dataset (split_for_decide): the part is read
    once, its frames and its share of each month's summary are staged per month for finish_month. Parts
    are independent: a worker pool decides them side by side."""
    import shutil

    from include.model import PART_FRAMES

    policy = policy or default_policy()
    plan = _plan(settings)
    if not 0 <= part < len(plan["bagian"]):
        raise ValueError(f"part {part}: the dataset was dealt into parts 0 to {len(plan['bagian']) - 1}")
    links = Links.load(Path(settings.staging) / "links")
    wilayah = load_wilayah()
    data = load_part(settings, part)
    urut = data.p3ke[["berkas", "baris", "urut"]]
    billed = 0
    for periode in periods:
        result = decide_period(data, links, periode, policy, wilayah, settings.region)
        folder = _decided_parts_dir(settings, periode) / str(part)
        temp = folder.with_name(f".{part}.{os.getpid()}.tmp")
        shutil.rmtree(temp, ignore_errors=True)
        temp.mkdir(parents=True)
        for name in PART_FRAMES:
            frame = getattr(result, name)
            if name == "calon":  # ranked over the whole month by finish_month, in urut order on ties
                frame = frame.merge(urut, on=["berkas", "baris"], how="left", validate="one_to_one")
            frame.to_parquet(temp / f"{name}.parquet", index=False)
        result.kualitas.to_parquet(temp / "kualitas.parquet", index=False)
        result.iuran_bulanan.to_parquet(temp / "iuran_bulanan.parquet", index=False)
        _write_json({"ringkasan": result.ringkasan, "rencana": {k: plan[k] for k in PLAN_STAMP}},
                    temp / "bagian.json")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(temp, folder)
        billed += result.ringkasan["peserta"]["ditagih"]
        del result
        gc.collect()  # a month's frames are freed before the next month is decided
    log.info("decided part %d (%d P3KE rows) for %d months", part, len(data.p3ke), len(periods))
    return {"bagian": part, "baris_p3ke": len(data.p3ke), "periode": len(periods), "ditagih": billed}


PLAN_STAMP = ("tautan", "berkas", "baris_per_bagian")  # what makes two splits the same


def finish_month(settings: Settings, periode: str) -> dict:
    """Put a month decided in parts together (decide_part for every part first): the parts' frames as
    <keputusan>/<periode>/bagian-<k>/, the candidates ranked over the whole month, the month-wide frames
    and the summary from the parts'. Swapped in whole; the staged parts are then removed."""
    import shutil

    from include.decide import combine_iuran_bulanan, combine_kualitas, combine_ringkasan, rank_calon
    from include.model import PART_FRAMES, PART_PREFIX

    plan = _plan(settings)
    parts = _decided_parts_dir(settings, periode)
    folder = Path(settings.staging) / "keputusan" / periode
    temp = folder.with_name(f".{periode}.{os.getpid()}.tmp")
    shutil.rmtree(temp, ignore_errors=True)
    ringkasan, kualitas, bulanan, calon = [], [], [], []
    for part in range(len(plan["bagian"])):
        here = parts / str(part)
        meta = here / "bagian.json"
        stamp = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else None
        if stamp is None or stamp["rencana"] != {k: plan[k] for k in PLAN_STAMP}:
            raise RuntimeError(f"{periode}: part {part} has not been decided for the current split of the dataset; "
                               "run decide_part for every part before finish_month")
        (temp / f"{PART_PREFIX}{part}").mkdir(parents=True)
        for name in PART_FRAMES:
            if name != "calon":
                _link_or_copy(here / f"{name}.parquet", temp / f"{PART_PREFIX}{part}" / f"{name}.parquet")
        calon.append(pd.read_parquet(here / "calon.parquet"))
        ringkasan.append(stamp["ringkasan"])
        kualitas.append(pd.read_parquet(here / "kualitas.parquet"))
        bulanan.append(pd.read_parquet(here / "iuran_bulanan.parquet"))
    for part, (frame, prioritas) in enumerate(zip(calon, rank_calon(calon), strict=True)):
        frame = frame.assign(prioritas=prioritas).sort_values("prioritas").drop(columns="urut")
        frame.to_parquet(temp / f"{PART_PREFIX}{part}" / "calon.parquet", index=False)
    summary = combine_ringkasan(ringkasan)
    combine_kualitas(kualitas, dataset_kualitas(settings)).to_parquet(temp / "kualitas.parquet", index=False)
    combine_iuran_bulanan(bulanan).to_parquet(temp / "iuran_bulanan.parquet", index=False)
    Links.load_bobot(Path(settings.staging) / "links").to_parquet(temp / "bobot.parquet", index=False)
    (temp / "ringkasan.json").write_text(json.dumps(summary, sort_keys=True), encoding="utf-8")
    old = folder.with_name(f".{periode}.{os.getpid()}.old")
    if folder.exists():
        os.replace(folder, old)
    os.replace(temp, folder)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(parts, ignore_errors=True)
    log.info("decided %s in %d parts: p3ke %s", periode, len(calon), json.dumps(summary["p3ke"], sort_keys=True))
    return {"periode": periode, "bagian": len(calon), "ditagih": summary["peserta"]["ditagih"],
            "total_iuran": summary["iuran"]["total_iuran"]}


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (the staged part stays for a retry), a copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError:
        import shutil

        shutil.copyfile(source, target)


def decide(settings: Settings, periode: str, policy: Policy | None = None) -> dict:
    """Decide one month: every part (decide_part), then the month put together (finish_month). Memory
    follows the size of a part."""
    for part in range(len(_plan(settings)["bagian"])):
        decide_part(settings, part, [periode], policy)
    return finish_month(settings, periode)


def snapshot(settings: Settings) -> Snapshot:
    data = load_validated(settings, SNAPSHOT_COLUMNS)
    peserta = data.peserta[data.peserta["alasan"] == ""]
    klaim = data.klaim[data.klaim["alasan"] == ""]
    return Snapshot(peserta=peserta[SNAPSHOT_PESERTA].reset_index(drop=True),
                    klaim=klaim[SNAPSHOT_KLAIM].reset_index(drop=True), berkas=file_audit(settings),
                    tinjauan=decisions_in_force(data.tinjauan))


def prepare_load(settings: Settings, run_id: str, periods: list[str]) -> None:
    """Create the schema when missing and open the run's audit record: before any load of the run."""
    from include.warehouse import create_schema, get_engine, record_run

    engine = get_engine(settings.warehouse_url)
    create_schema(engine)
    record_run(engine, run_id, "rentan_load", periods, "running")


SNAPSHOT_BATCH_ROWS = 200_000  # staged rows read at a time while loading the snapshot


def _valid_rows(settings: Settings, name: str, columns: list[str]):
    """The staged rows of a source that are not quarantined, `columns` only, SNAPSHOT_BATCH_ROWS at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from include.sources.staging import as_normalised

    staged = pq.ParquetFile(_dataset_dir(settings) / f"{name}.parquet")
    for batch in staged.iter_batches(batch_size=SNAPSHOT_BATCH_ROWS, columns=[*columns, "alasan"]):
        frame = as_normalised(pa.Table.from_batches([batch]))
        yield frame.loc[frame["alasan"] == "", columns].reset_index(drop=True)


def _counting(pieces, counted: dict[str, int]):
    """pieces(name) that also counts the rows of each frame it yields into counted[name] (a retried load
    counts again from zero)."""
    def frames(name: str):
        counted[name] = 0
        for frame in pieces(name):
            counted[name] += len(frame)
            yield frame

    return frames


def load_snapshot(settings: Settings, run_id: str) -> dict:
    """Load the run-wide snapshot (prepare_load first); its tables are not the months', so the months can
    be loaded at the same time. The roster and the claims are read and loaded a batch of rows at a time,
    in one transaction: memory does not follow the size of a national roster."""
    from include.warehouse import get_engine
    from include.warehouse.load import load_snapshot_frames

    tinjauan = read_staged(_dataset_dir(settings) / "tinjauan.parquet")
    small = {"berkas": file_audit(settings), "tinjauan": decisions_in_force(tinjauan)}
    columns = {"peserta": SNAPSHOT_PESERTA, "klaim": SNAPSHOT_KLAIM}
    counted: dict[str, int] = {}
    pieces = _counting(lambda name: [small[name]] if name in small else _valid_rows(settings, name, columns[name]),
                       counted)
    load_snapshot_frames(get_engine(settings.warehouse_url), pieces, run_id)
    return {"peserta": counted["peserta"], "klaim": counted["klaim"], "berkas": counted["berkas"]}


def finish_load(settings: Settings, run_id: str, periods: list[str]) -> None:
    """Close the run's audit record once every month is loaded."""
    from include.warehouse import get_engine, record_run

    record_run(get_engine(settings.warehouse_url), run_id, "rentan_load", periods, "success")


def load_period(settings: Settings, periode: str, run_id: str) -> dict:
    """Load one decided month in one transaction, one part at a time (memory follows a part)."""
    from include.model import period_frames
    from include.warehouse import get_engine
    from include.warehouse.load import load_period_frames

    folder = Path(settings.staging) / "keputusan" / periode
    ringkasan = json.loads((folder / "ringkasan.json").read_text(encoding="utf-8"))
    counted: dict[str, int] = {}
    pieces = _counting(lambda name: period_frames(folder, name), counted)
    load_period_frames(get_engine(settings.warehouse_url), periode, ringkasan, pieces, run_id)
    return {"periode": periode, "rincian": counted["rincian"], "hasil": counted["hasil"]}


def write_report(settings: Settings, periode: str) -> dict:
    from include.reports.writer import write_reports
    from include.warehouse import get_engine
    from include.warehouse.read import report_reader

    folder = Path(settings.reports) / periode
    with report_reader(get_engine(settings.warehouse_url), periode) as (data, streams):
        write_reports(folder, data, streams)  # the month's lists a piece at a time
    ringkasan = data.ringkasan
    log.info("report %s written to %s", periode, folder)
    return {"periode": periode, "folder": str(folder), "ditagih": ringkasan["peserta"]["ditagih"],
            "total_iuran": ringkasan["iuran"]["total_iuran"],
            "kumulatif": ringkasan["kumulatif"]["total_iuran"]}
