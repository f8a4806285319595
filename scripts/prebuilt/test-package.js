#!/usr/bin/env node
// `npm run test:package` (not part of npm test): installs the tarballs of `npm run package`
// (pack/) into temporary empty projects the way users and deploy pipelines do, and checks the
// result works. Every install and run happens as a non-root user, in a mount namespace where
// the system OpenCV (headers and libopencv_* libraries) and TurboJPEG are hidden and the C/C++
// compiler cannot run, with a PATH that holds no compiler. Scenarios, one line each:
//   install        npm install of the tarballs; the smoke check (scripts/prebuilt/smoke.js:
//                  require, decode a JPEG, preprocess, segnet, MeanIoU) and tfcv doctor
//   ldd            the installed tfcv_core.node (the addon) needs only glibc, libstdc++/libgcc, libtensorflow
//   copied         node_modules copied to another path, run by another user
//   cache deleted  the libtensorflow cache removed, the app still runs
//   ignore-scripts npm install --ignore-scripts: require fails saying `npx tfcv setup`; that
//                  command repairs it
//   no prebuilt    the main tarball alone (no platform package) without a compiler: the
//                  install fails and says why it fell back to a source build and what is missing
// Needs root (to create the users and the namespace). `--cold` starts with an empty
// libtensorflow cache (pip download) instead of a copy of the caller's.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const packDir = path.resolve(process.env.TFCV_PACK_DIR || path.join(root, 'pack'));
const cold = process.argv.includes('--cold');
const USERS = ['tfcvpkga', 'tfcvpkgb'];
const TF_DIR = 'libtensorflow-2.21.0';

const results = [];
function report(name, ok, detail) {
  results.push(ok);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(15)} ${detail}`);
}

function sh(cmd, opts = {}) {
  return execFileSync('bash', ['-c', cmd], { encoding: 'utf8', ...opts });
}

function ensureUser(name) {
  if (spawnSync('id', ['-u', name], { stdio: 'ignore' }).status !== 0) {
    sh(`useradd --create-home --shell /bin/bash ${name}`);
  }
  const [uid, gid] = sh(`id -u ${name}; id -g ${name}`).trim().split('\n').map(Number);
  return { name, uid, gid, home: sh(`getent passwd ${name} | cut -d: -f6`).trim() };
}

/** A PATH directory with what npm and the smoke check need, and no compiler or cmake. */
function safeBin(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const tools = [
    'node',
    'npm',
    'npx',
    'sh',
    'bash',
    'env',
    'cat',
    'ls',
    'rm',
    'cp',
    'mv',
    'mkdir',
    'chmod',
    'tar',
    'gzip',
    'id',
    'uname',
    'python3',
    'dirname',
    'basename',
    'grep',
    'sed',
    'head',
    'tail',
    'ldd',
    'getconf',
  ];
  for (const tool of tools) {
    // The system python3 (with Debian's pip): the caller's may live in its home (pyenv).
    const system = tool === 'python3' && fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : '';
    const found = system || spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found) fs.symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

/** PIP_* of this environment plus the index settings of the caller's pip config. */
function pipSettings() {
  const settings = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PIP_')));
  for (const [key, env] of [
    ['global.index-url', 'PIP_INDEX_URL'],
    ['global.extra-index-url', 'PIP_EXTRA_INDEX_URL'],
    ['global.find-links', 'PIP_FIND_LINKS'],
  ]) {
    if (settings[env]) continue;
    const r = spawnSync('python3', ['-m', 'pip', 'config', 'get', key], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) settings[env] = r.stdout.trim().replace(/\s+/g, ' ');
  }
  return settings;
}

/**
 * Runs `cmd` as `user` in a fresh mount namespace hiding OpenCV, TurboJPEG and the compiler
 * back ends. Returns { status, stdout, stderr, seconds }.
 */
function isolated(user, cmd, { cwd, env = {}, bin }) {
  const empty = path.join(os.tmpdir(), 'tfcv-pkgtest-empty');
  fs.writeFileSync(empty, '');
  const hide = [
    // headers: an empty tmpfs over the directories, an empty file over single headers
    'for d in /usr/include/opencv4 /usr/lib/gcc /usr/libexec/gcc; do [ -d "$d" ] && mount -t tmpfs -o ro tmpfs "$d"; done',
    `for f in /usr/include/turbojpeg.h /usr/lib/x86_64-linux-gnu/libopencv_* /usr/lib/x86_64-linux-gnu/libturbojpeg.*; do [ -e "$f" ] && mount --bind ${empty} "$f"; done`,
    'true',
  ].join('\n');
  const vars = {
    HOME: user.home,
    USER: user.name,
    PATH: bin,
    LANG: 'C.UTF-8',
    npm_config_cache: path.join(user.home, '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // the machine's pip index settings may live in root's config; a user's pip gets them here
    ...pipSettings(),
    ...env,
  };
  const envArgs = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  const script = `${hide}\ncd ${JSON.stringify(cwd)}\nexec setpriv --reuid=${user.uid} --regid=${user.gid} --init-groups env -i ${envArgs
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(' ')} bash -c ${JSON.stringify(cmd).replace(/\$/g, '\\$')}`;
  const started = process.hrtime.bigint();
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', script], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return {
    status: r.status,
    stdout: r.stdout || '',
    stderr: r.stderr || '',
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

function lastLines(text, n = 15) {
  return text
    .split('\n')
    .filter(Boolean)
    .slice(-n)
    .map((l) => `       | ${l}`)
    .join('\n');
}

function newProject(dir, user) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: path.basename(dir), version: '1.0.0', private: true }, null, 2),
  );
  fs.copyFileSync(path.join(__dirname, 'smoke.js'), path.join(dir, 'smoke.js'));
  fs.copyFileSync(path.join(root, 'test/fixtures/images/photo_333x251_444.jpg'), path.join(dir, 'photo.jpg'));
  sh(`chown -R ${user.uid}:${user.gid} ${dir}`);
}

function seedCache(user, cacheDir) {
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  const mine = path.join(process.env.TFCV_CACHE || path.join(os.homedir(), '.cache/tfcv'), TF_DIR);
  if (!cold && fs.existsSync(mine)) sh(`cp -r ${mine} ${cacheDir}/`);
  sh(`chown -R ${user.uid}:${user.gid} ${cacheDir}`);
}

function smoke(user, dir, bin, env) {
  const r = isolated(user, 'node smoke.js', { cwd: dir, bin, env });
  let parsed = null;
  try {
    parsed = JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    // not JSON: the scenario failed, and r says why
  }
  return { ok: r.status === 0 && parsed !== null, parsed, r };
}

function describeSmoke(s) {
  return s.ok
    ? `decoded ${s.parsed.decoded}, ${s.parsed.output}, mean IoU ${s.parsed.meanIoU}, TF ${s.parsed.versions.tensorflow}, OpenCV ${s.parsed.versions.opencv}`
    : `smoke failed (exit ${s.r.status})\n${lastLines(s.r.stderr + s.r.stdout)}`;
}

function main() {
  if (process.getuid() !== 0)
    throw new Error('run as root: it creates the test users and a mount namespace (the installs run as those users)');
  const tarballs = fs.existsSync(packDir) ? fs.readdirSync(packDir).filter((f) => f.endsWith('.tgz')) : [];
  const mainTgz = tarballs.find((f) => /^tfcv-\d/.test(f));
  const platformTgz = tarballs.find((f) => /^tfcv-linux-x64-gnu-/.test(f));
  if (!mainTgz || !platformTgz) throw new Error(`no tarballs in ${packDir}: run npm run package first`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-pkgtest-'));
  fs.chmodSync(work, 0o755);
  const [a, b] = USERS.map(ensureUser);
  const bin = safeBin(path.join(work, 'bin'));
  const tgzDir = path.join(work, 'tarballs');
  fs.mkdirSync(tgzDir);
  for (const f of [mainTgz, platformTgz]) fs.copyFileSync(path.join(packDir, f), path.join(tgzDir, f));
  sh(`chmod -R a+rX ${work}`);
  const main = path.join(tgzDir, mainTgz);
  const platform = path.join(tgzDir, platformTgz);
  const cacheA = path.join(a.home, '.cache/tfcv');
  const envA = { TFCV_CACHE: cacheA };
  console.log(
    `package: ${mainTgz} + ${platformTgz} in ${work}; users ${a.name}, ${b.name}; ${cold ? 'cold' : 'warm'} libtensorflow cache`,
  );

  // 1. install
  seedCache(a, cacheA);
  const app = path.join(work, 'app');
  newProject(app, a);
  // Both tarballs are named: npm resolves an optionalDependency from the registry, where the
  // platform package of a release is published; here it comes from pack/.
  const install = isolated(a, `npm install --no-audit --no-fund --foreground-scripts ${main} ${platform}`, {
    cwd: app,
    bin,
    env: envA,
  });
  fs.writeFileSync(path.join(work, 'install.log'), install.stdout + install.stderr);
  if (install.status !== 0) {
    report(
      'install',
      false,
      `npm install failed (exit ${install.status}) in ${install.seconds.toFixed(1)} s\n${lastLines(install.stdout + install.stderr, 25)}`,
    );
  } else {
    const s = smoke(a, app, bin, envA);
    const doctor = isolated(a, 'npx tfcv doctor', { cwd: app, bin, env: envA });
    const prebuilt = /binary:\s+prebuilt/.test(doctor.stdout) && /OpenCV:.*static/.test(doctor.stdout);
    report(
      'install',
      s.ok && prebuilt && install.seconds < 60,
      `npm install ${install.seconds.toFixed(1)} s as ${a.name} (no compiler, no OpenCV); ${describeSmoke(s)}; doctor: ${prebuilt ? 'prebuilt, OpenCV static' : `unexpected\n${lastLines(doctor.stdout + doctor.stderr)}`}`,
    );
  }

  // 2. ldd
  const node = path.join(app, 'node_modules/@tfcv/linux-x64-gnu/tfcv_core.node');
  const ldd = isolated(a, `ldd ${node}`, { cwd: app, bin });
  const libs = ldd.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean);
  const allowed =
    /^(linux-vdso\.so|\/lib64\/ld-linux-x86-64\.so|(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|libtensorflow_cc|libtensorflow_framework)\.so)/;
  const foreign = libs.filter((l) => !allowed.test(l));
  const notFound = /not found/.test(ldd.stdout);
  report(
    'ldd',
    ldd.status === 0 && !foreign.length && !notFound,
    `${libs.join(' ')}${foreign.length ? `; unexpected: ${foreign.join(' ')}` : ''}${notFound ? '; something not found' : ''}`,
  );

  // 3. copied to another path, run by another user
  const moved = path.join(work, 'elsewhere', 'app');
  fs.mkdirSync(path.dirname(moved), { recursive: true });
  sh(`cp -a ${app} ${moved} && chown -R ${b.uid}:${b.gid} ${path.dirname(moved)}`);
  const absLinks = sh(`find ${moved}/node_modules -type l -lname '/*' | head -5`).trim();
  const sb = smoke(b, moved, bin, {});
  report(
    'copied',
    sb.ok && !absLinks,
    `node_modules copied to ${moved}, run as ${b.name}: ${describeSmoke(sb)}${absLinks ? `; absolute symlinks: ${absLinks}` : ''}`,
  );

  // 4. cache deleted
  fs.rmSync(cacheA, { recursive: true, force: true });
  const sc = smoke(a, app, bin, envA);
  report('cache deleted', sc.ok, `${cacheA} removed: ${describeSmoke(sc)}`);

  // 5. --ignore-scripts, then npx tfcv setup
  seedCache(a, cacheA);
  const app2 = path.join(work, 'app-ignore-scripts');
  newProject(app2, a);
  const i2 = isolated(a, `npm install --no-audit --no-fund --ignore-scripts ${main} ${platform}`, {
    cwd: app2,
    bin,
    env: envA,
  });
  const before = smoke(a, app2, bin, envA);
  const says = /npx tfcv setup/.test(before.r.stderr);
  const setup = isolated(a, 'npx tfcv setup', { cwd: app2, bin, env: envA });
  const after = smoke(a, app2, bin, envA);
  const firstLine =
    before.r.stderr.split('\n').find((l) => l.includes('npx tfcv setup')) ||
    before.r.stderr.trim().split('\n')[0] ||
    '';
  report(
    'ignore-scripts',
    i2.status === 0 && !before.ok && says && setup.status === 0 && after.ok,
    `before setup: ${before.ok ? 'loaded (unexpected)' : `"...${(firstLine.match(/libtensorflow is not installed.*?npx tfcv setup/) || [firstLine.slice(0, 160)])[0].replace(/ \(expected in [^)]*\)/, '')}"`}; npx tfcv setup ${setup.status === 0 ? `ok in ${setup.seconds.toFixed(1)} s` : `failed\n${lastLines(setup.stdout + setup.stderr)}`}; after: ${describeSmoke(after)}`,
  );

  // 6. no platform package: the fallback names its reason and what is missing
  const app3 = path.join(work, 'app-no-prebuilt');
  newProject(app3, a);
  const i3 = isolated(a, `npm install --no-audit --no-fund ${main}`, { cwd: app3, bin, env: envA });
  const out3 = i3.stdout + i3.stderr;
  const named =
    /building from source because .*@tfcv\/linux-x64-gnu is not installed/.test(out3) &&
    /needs cmake and c\+\+/.test(out3);
  report(
    'no prebuilt',
    i3.status !== 0 && named,
    `install ${i3.status === 0 ? 'succeeded (unexpected)' : 'failed'}; ${named ? 'names the missing platform package and the missing cmake / c++' : `message:\n${lastLines(out3)}`}`,
  );

  const passed = results.filter(Boolean).length;
  console.log(`package: ${passed}/${results.length} scenarios pass`);
  if (process.env.TFCV_KEEP_PKGTEST !== '1') fs.rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
  process.exit(passed === results.length ? 0 : 1);
}

try {
  main();
} catch (e) {
  console.error(`test:package: ${e.message}`);
  process.exit(1);
}
