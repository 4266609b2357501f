// Copies the non-TypeScript files the build needs (SQL migrations, dashboard assets) from src/ to
// dist/, keeping their paths. Plain JavaScript so it runs wherever `npm run build` runs.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ASSET = /\.(sql|html|css|js|svg|png|ico|json)$/;
// tsconfig files configure the dashboard's compiler; they are not assets.
const SKIP = /\.(test|d)\.|\.ts$|^tsconfig/;

function copy(from, to) {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const target = join(to, entry);
    if (statSync(source).isDirectory()) {
      copy(source, target);
    } else if (ASSET.test(entry) && !SKIP.test(entry)) {
      cpSync(source, target);
    }
  }
}

if (existsSync('src')) {
  copy('src', 'dist');
}
