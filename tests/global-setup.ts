// Builds dist/ once before the tests: the tests that start the server or run a command as
// production does run the compiled JavaScript (npm run build, as `npm start` does first).
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
