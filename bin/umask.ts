// Imported first by the CLI entry (bin/xpears.ts): before any module runs, new files are 0600 and folders 0700.
import { restrictUmask } from '../lib/private-files.js';

restrictUmask();
