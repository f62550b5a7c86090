// Handler registry: attaches each family's `<name>Command` handlers to the generated command table, by fullname.
import { findByFullname, type Handler } from './table.js';
import { handlers as connection } from './connection.js';
import { handlers as server } from './server.js';
import { handlers as keys } from './keys.js';
import { handlers as strings } from './strings.js';
import { handlers as bitmaps } from './bitmaps.js';
import { handlers as hyperloglog } from './hyperloglog.js';
import { handlers as hashes } from './hashes.js';
import { handlers as lists } from './lists.js';
import { handlers as sets } from './sets.js';
import { handlers as zsets } from './zsets.js';
import { handlers as geo } from './geo.js';
import { handlers as sort } from './sort.js';
import { handlers as transactions } from './transactions.js';
import { handlers as streams } from './streams.js';
import { handlers as pubsub } from './pubsub.js';
import { handlers as scripting } from './scripting.js';
import { handlers as functions } from './functions.js';
import { handlers as acl } from './acl.js';
import { handlers as dump } from './dump.js';
import { handlers as replication } from './replication.js';

/** Every family's handlers, keyed by fullname ("get", "client|list"). */
export const FAMILIES: Record<string, Record<string, Handler>> = {
  connection,
  server,
  keys,
  strings,
  bitmaps,
  hyperloglog,
  hashes,
  lists,
  sets,
  zsets,
  geo,
  sort,
  transactions,
  streams,
  pubsub,
  scripting,
  functions,
  acl,
  dump,
  replication,
};

let installed = false;

export function installHandlers(): void {
  if (installed) return;
  installed = true;
  for (const [family, hs] of Object.entries(FAMILIES)) {
    for (const [fullname, h] of Object.entries(hs)) {
      const spec = findByFullname(fullname);
      if (!spec) throw new Error(`${family}: handler for '${fullname}', which is not in the command table`);
      if (spec.handler) throw new Error(`${family}: '${fullname}' has two handlers`);
      spec.handler = h;
    }
  }
}
