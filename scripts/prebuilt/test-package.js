#!/usr/bin/env node
// `npm run test:package` (not part of npm test): installs the three tarballs of `npm run
// package` (pack/) into temporary empty projects the way users and deploy pipelines do, and
// checks the result works. The project depends on tfcv; the two platform packages reach it as
// tfcv's optionalDependencies, as from a registry (npm "overrides" point them at the
// tarballs). Every install and run happens as a non-root user, in a mount namespace where the
// system OpenCV (headers and libopencv_* libraries) and TurboJPEG are hidden and the C/C++
// compiler cannot run, with a PATH that holds no compiler and no python. Scenarios:
//   install        npm install --ignore-scripts, empty tfcv cache: the smoke check
//                  (scripts/prebuilt/smoke.js: require, decode a JPEG, preprocess, segnet,
//                  MeanIoU) and tfcv doctor; no lifecycle script in any tfcv manifest; no
//                  cmake-js in node_modules; node_modules measured (total, largest files)
//   ldd            tfcv_core.node finds libtensorflow in @tfcv/libtensorflow-linux-x64 (RPATH)
//   copied         node_modules copied to another path, run by another user
//   read-only      `npx tfcv setup` by a user who cannot write the install: "nothing to do"
//   damaged        libtensorflow_cc.so.2 truncated: require and doctor name it (no crash),
//                  `npx tfcv setup` re-copies it from npm's copy of the package, then it runs
//   omitted        npm install --omit=optional: require says the platform package was omitted
//                  and how to include it
//   not installable the platform packages cannot be fetched (npm --offline, not in its cache):
//                  require says npm could not install it and what to do
//   concurrent pip two cold pip setups (the source-build / override route) on one empty cache,
//                  at once, with python3 on PATH for them only: both end with whole libraries
// Needs root (to create the users and the namespace). `--keep-opencv` leaves the system OpenCV
// visible (for tarballs packed with TFCV_PACKAGE_BINARY_DIR from a source build, which links it).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync, execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const packDir = path.resolve(process.env.TFCV_PACK_DIR || path.join(root, 'pack'));
const USERS = ['tfcvpkga', 'tfcvpkgb'];
const keepOpenCV = process.argv.includes('--keep-opencv');

const results = [];
function report(name, ok, detail) {
  results.push(ok);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(15)} ${detail}`);
}

function sh(cmd, opts = {}) {
  return execFileSync('bash', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
}

function ensureUser(name) {
  if (spawnSync('id', ['-u', name], { stdio: 'ignore' }).status !== 0) {
    sh(`useradd --create-home --shell /bin/bash ${name}`);
  }
  const [uid, gid] = sh(`id -u ${name}; id -g ${name}`).trim().split('\n').map(Number);
  return { name, uid, gid, home: sh(`getent passwd ${name} | cut -d: -f6`).trim() };
}

/** A PATH directory with what npm and the checks need: no compiler, no cmake, no python (unless `python`). */
function safeBin(dir, { python = false } = {}) {
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
    'dirname',
    'basename',
    'grep',
    'sed',
    'head',
    'tail',
    'ldd',
    'getconf',
    'truncate',
    ...(python ? ['python3'] : []),
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

/** The script and environment that run `cmd` as `user` in a mount namespace hiding OpenCV, TurboJPEG and the compiler. */
function isolatedScript(user, cmd, { cwd, env = {}, bin }) {
  const empty = path.join(os.tmpdir(), 'tfcv-pkgtest-empty');
  fs.writeFileSync(empty, '');
  const hide = [
    // headers: an empty tmpfs over the directories, an empty file over single headers
    `for d in ${keepOpenCV ? '' : '/usr/include/opencv4'} /usr/lib/gcc /usr/libexec/gcc; do [ -d "$d" ] && mount -t tmpfs -o ro tmpfs "$d"; done`,
    keepOpenCV
      ? ''
      : `for f in /usr/include/turbojpeg.h /usr/lib/x86_64-linux-gnu/libopencv_* /usr/lib/x86_64-linux-gnu/libturbojpeg.*; do [ -e "$f" ] && mount --bind ${empty} "$f"; done`,
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
  return `${hide}\ncd ${JSON.stringify(cwd)}\nexec setpriv --reuid=${user.uid} --regid=${user.gid} --init-groups env -i ${envArgs
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(' ')} bash -c ${JSON.stringify(cmd).replace(/\$/g, '\\$')}`;
}

/** Runs `cmd` isolated (isolatedScript). Returns { status, signal, stdout, stderr, seconds }. */
function isolated(user, cmd, opts) {
  const started = process.hrtime.bigint();
  const r = spawnSync(
    'unshare',
    ['--mount', '--propagation', 'private', 'bash', '-c', isolatedScript(user, cmd, opts)],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout || '',
    stderr: r.stderr || '',
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

/** isolated(), without waiting: resolves with the same record. */
function isolatedAsync(user, cmd, opts) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn('unshare', [
      '--mount',
      '--propagation',
      'private',
      'bash',
      '-c',
      isolatedScript(user, cmd, opts),
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status, signal) =>
      resolve({ status, signal, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
    );
  });
}

function lastLines(text, n = 15) {
  return text
    .split('\n')
    .filter(Boolean)
    .slice(-n)
    .map((l) => `       | ${l}`)
    .join('\n');
}

/**
 * An empty project depending on tfcv (the main tarball). With `platform` the two platform
 * packages are pointed at their tarballs through npm "overrides", so they arrive the way a
 * registry delivers them: as tfcv's optionalDependencies.
 */
function newProject(dir, user, tarballs, { platform = true } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const rel = (f) => `file:${path.relative(dir, f)}`;
  const manifest = {
    name: path.basename(dir),
    version: '1.0.0',
    private: true,
    dependencies: { tfcv: rel(tarballs.main) },
  };
  if (platform)
    manifest.overrides = {
      '@tfcv/linux-x64-gnu': rel(tarballs.binary),
      '@tfcv/libtensorflow-linux-x64': rel(tarballs.library),
    };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.copyFileSync(path.join(__dirname, 'smoke.js'), path.join(dir, 'smoke.js'));
  fs.copyFileSync(path.join(root, 'test/fixtures/images/photo_333x251_444.jpg'), path.join(dir, 'photo.jpg'));
  sh(`chown -R ${user.uid}:${user.gid} ${dir}`);
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
    : `smoke failed (exit ${s.r.status}${s.r.signal ? `, ${s.r.signal}` : ''})\n${lastLines(s.r.stderr + s.r.stdout)}`;
}

/** The first stderr line holding `pattern`, shortened. */
function quote(text, pattern) {
  const lines = text.split('\n');
  // an uncaught error prints the throwing source line first: prefer the "XError: ..." line
  const line =
    lines.find((l) => /^\w*Error: /.test(l) && pattern.test(l)) || lines.find((l) => pattern.test(l)) || lines[0] || '';
  return line.length > 400 ? `${line.slice(0, 400)}...` : line;
}

function mib(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** node_modules measured: total bytes, package count, the largest files. */
function measure(app) {
  const nm = path.join(app, 'node_modules');
  const total = Number(sh(`du -sb ${nm} | cut -f1`).trim());
  const packages = sh(
    `find ${nm} -name package.json -not -path '*/node_modules/*/node_modules/*/package.json' | xargs grep -l '"version"' | wc -l`,
  ).trim();
  const largest = sh(`find ${nm} -type f -printf '%s %P\\n' | sort -nr | head -4`)
    .trim()
    .split('\n')
    .map((l) => {
      const [size, ...rest] = l.split(' ');
      return `${rest.join(' ')} ${mib(Number(size))}`;
    });
  const tfcvSize = Number(sh(`du -sb ${nm}/tfcv | cut -f1`).trim());
  return { total, packages, largest, tfcvSize };
}

async function main() {
  if (process.getuid() !== 0)
    throw new Error('run as root: it creates the test users and a mount namespace (the installs run as those users)');
  const names = fs.existsSync(packDir) ? fs.readdirSync(packDir).filter((f) => f.endsWith('.tgz')) : [];
  const find = (re) => names.find((f) => re.test(f));
  const found = {
    main: find(/^tfcv-\d/),
    binary: find(/^tfcv-linux-x64-gnu-/),
    library: find(/^tfcv-libtensorflow-linux-x64-/),
  };
  if (!found.main || !found.binary || !found.library)
    throw new Error(`the three tarballs are not all in ${packDir}: run npm run package first`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-pkgtest-'));
  fs.chmodSync(work, 0o755);
  const [a, b] = USERS.map(ensureUser);
  const bin = safeBin(path.join(work, 'bin'));
  const binPython = safeBin(path.join(work, 'bin-python'), { python: true });
  const tgzDir = path.join(work, 'tarballs');
  fs.mkdirSync(tgzDir);
  const tarballs = {};
  for (const [k, f] of Object.entries(found)) {
    tarballs[k] = path.join(tgzDir, f);
    fs.copyFileSync(path.join(packDir, f), tarballs[k]);
  }
  sh(`chmod -R a+rX ${work}`);
  // an empty tfcv cache: the install must not need it (nor pip, nor python)
  const cacheA = path.join(a.home, '.cache/tfcv');
  fs.rmSync(cacheA, { recursive: true, force: true });
  const envA = { TFCV_CACHE: cacheA };
  console.log(
    `package: ${Object.values(found).join(' + ')} in ${work}; users ${a.name}, ${b.name}; no python, no compiler, ${keepOpenCV ? 'the system OpenCV VISIBLE (--keep-opencv)' : 'no OpenCV'}, empty tfcv cache`,
  );

  // 1. install with --ignore-scripts
  const app = path.join(work, 'app');
  newProject(app, a, tarballs);
  const install = isolated(a, 'npm install --no-audit --no-fund --ignore-scripts', { cwd: app, bin, env: envA });
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
    const prebuilt =
      /binary:\s+prebuilt/.test(doctor.stdout) &&
      (keepOpenCV ? /OpenCV:.*system, shared/ : /OpenCV:.*static/).test(doctor.stdout) &&
      /loaded from \S+@tfcv\/libtensorflow-linux-x64\/lib\/libtensorflow_cc\.so\.2/.test(doctor.stdout);
    const manifests = ['tfcv', '@tfcv/linux-x64-gnu', '@tfcv/libtensorflow-linux-x64'].map((n) =>
      JSON.parse(fs.readFileSync(path.join(app, 'node_modules', n, 'package.json'), 'utf8')),
    );
    const hooks = manifests.flatMap((m) =>
      ['preinstall', 'install', 'postinstall', 'prepare'].filter((h) => m.scripts?.[h]).map((h) => `${m.name} ${h}`),
    );
    const cmakeJs = fs.existsSync(path.join(app, 'node_modules/cmake-js'));
    const cacheUsed = fs.existsSync(cacheA);
    const m = measure(app);
    report(
      'install',
      s.ok && prebuilt && !hooks.length && !cmakeJs && !cacheUsed,
      `npm install --ignore-scripts ${install.seconds.toFixed(1)} s as ${a.name}; ${describeSmoke(s)}; doctor: ${prebuilt ? `prebuilt, OpenCV ${keepOpenCV ? 'shared (--keep-opencv)' : 'static'}, libtensorflow from the package` : `unexpected\n${lastLines(doctor.stdout + doctor.stderr)}`}; ` +
        `lifecycle scripts: ${hooks.length ? hooks.join(', ') : 'none'}; cmake-js ${cmakeJs ? 'INSTALLED' : 'absent'}; tfcv cache ${cacheUsed ? 'CREATED' : 'untouched'}; ` +
        `node_modules ${mib(m.total)} in ${m.packages} packages (tfcv ${mib(m.tfcvSize)}), largest: ${m.largest.join(', ')}`,
    );
  }

  // 2. ldd
  const core = path.join(app, 'node_modules/@tfcv/linux-x64-gnu/tfcv_core.node');
  const ldd = isolated(a, `ldd ${core}`, { cwd: app, bin });
  const libs = ldd.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean);
  const allowed =
    /^(linux-vdso\.so|\/lib64\/ld-linux-x86-64\.so|(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|libtensorflow_cc|libtensorflow_framework)\.so)/;
  // --keep-opencv: a source-built binary links the system OpenCV and its codecs; not checked
  const foreign = keepOpenCV ? [] : libs.filter((l) => !allowed.test(l));
  const notFound = /not found/.test(ldd.stdout);
  const fromPackage =
    /libtensorflow_cc\.so\.2 => \S+\/@tfcv\/linux-x64-gnu\/\.\.\/libtensorflow-linux-x64\/lib\/libtensorflow_cc\.so\.2/.test(
      ldd.stdout,
    );
  report(
    'ldd',
    ldd.status === 0 && !foreign.length && !notFound && fromPackage,
    `${keepOpenCV ? `${libs.filter((l) => /tensorflow/.test(l)).join(' ')} (+ ${libs.length - 2} others: the system OpenCV's, --keep-opencv)` : libs.join(' ')}${foreign.length ? `; unexpected: ${foreign.join(' ')}` : ''}${notFound ? '; something not found' : ''}; libtensorflow ${fromPackage ? 'through $ORIGIN/../libtensorflow-linux-x64/lib' : `elsewhere:\n${lastLines(ldd.stdout)}`}`,
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

  // 4. read-only: another user runs setup on the install
  const ro = isolated(b, 'npx tfcv setup', { cwd: app, bin, env: {} });
  const nothing = /nothing to do: the prebuilt binary .* loads with libtensorflow from \S+libtensorflow-linux-x64/.test(
    ro.stdout,
  );
  report(
    'read-only',
    ro.status === 0 && nothing && !/EACCES/.test(ro.stdout + ro.stderr),
    `npx tfcv setup as ${b.name} on ${a.name}'s install: ${ro.status === 0 && nothing ? `"${quote(ro.stdout, /nothing to do/).replace(/^tfcv setup: /, '')}"` : `exit ${ro.status}\n${lastLines(ro.stdout + ro.stderr)}`}`,
  );

  // 5. damaged: libtensorflow_cc.so.2 truncated to half
  const dmg = path.join(work, 'app-damaged');
  sh(`cp -a ${app} ${dmg}`);
  const ccFile = path.join(dmg, 'node_modules/@tfcv/libtensorflow-linux-x64/lib/libtensorflow_cc.so.2');
  const ccSize = fs.statSync(ccFile).size;
  fs.truncateSync(ccFile, ccSize >> 1);
  const d1 = smoke(a, dmg, bin, envA);
  const d2 = isolated(a, 'npx tfcv doctor', { cwd: dmg, bin, env: envA });
  const d3 = isolated(a, 'npx tfcv setup', { cwd: dmg, bin, env: envA });
  const d4 = smoke(a, dmg, bin, envA);
  const named = /libtensorflow_cc\.so\.2 is damaged \(truncated/.test(d1.r.stderr) && !d1.r.signal;
  const doctorNamed =
    d2.signal === null && d2.status === 1 && /DAMAGED:\s+\S+libtensorflow_cc\.so\.2: truncated/.test(d2.stdout);
  const repaired =
    d3.status === 0 && /re-copied from npm's copy of/.test(d3.stdout) && fs.statSync(ccFile).size === ccSize;
  report(
    'damaged',
    named && doctorNamed && repaired && d4.ok,
    `require: ${named ? `"${quote(d1.r.stderr, /is damaged/).replace(/^.*?(\S+libtensorflow_cc)/, '...$1')}"` : `unexpected (signal ${d1.r.signal})\n${lastLines(d1.r.stderr)}`}; ` +
      `doctor: ${doctorNamed ? 'names the file, exit 1' : `unexpected (exit ${d2.status}, ${d2.signal})\n${lastLines(d2.stdout + d2.stderr)}`}; ` +
      `npx tfcv setup: ${repaired ? `"${quote(d3.stdout, /re-copied/).replace(/^tfcv setup: /, '')}" in ${d3.seconds.toFixed(1)} s` : `failed (exit ${d3.status})\n${lastLines(d3.stdout + d3.stderr)}`}; after: ${describeSmoke(d4)}`,
  );

  // 6. omitted: --omit=optional
  const app3 = path.join(work, 'app-omitted');
  newProject(app3, a, tarballs);
  const i3 = isolated(a, 'npm install --no-audit --no-fund --ignore-scripts --omit=optional', {
    cwd: app3,
    bin,
    env: envA,
  });
  const o = smoke(a, app3, bin, envA);
  const omittedSays =
    /the install omitted optional dependencies/.test(o.r.stderr) && /npm install --include=optional/.test(o.r.stderr);
  report(
    'omitted',
    i3.status === 0 && !o.ok && omittedSays,
    `require after npm install --omit=optional: ${omittedSays ? `"${quote(o.r.stderr, /omitted/).replace(/^.*?(the optional dependency)/, '...$1')}"` : `unexpected\n${lastLines(o.r.stderr + i3.stderr)}`}`,
  );

  // 7. not installable: the platform packages cannot be fetched
  const app4 = path.join(work, 'app-unavailable');
  newProject(app4, a, tarballs, { platform: false });
  const i4 = isolated(a, 'npm install --no-audit --no-fund --ignore-scripts --offline', { cwd: app4, bin, env: envA });
  const u = smoke(a, app4, bin, envA);
  const unavailableSays =
    /npm could not install it/.test(u.r.stderr) && /npm view @tfcv\/linux-x64-gnu@/.test(u.r.stderr);
  report(
    'not installable',
    i4.status === 0 && !u.ok && unavailableSays,
    `require after an install that could not fetch them: ${unavailableSays ? `"${quote(u.r.stderr, /could not install/).replace(/^.*?(the optional dependency)/, '...$1')}"` : `unexpected (install exit ${i4.status})\n${lastLines(u.r.stderr + i4.stderr)}`}`,
  );

  // 8. two cold pip setups at once on one cache (python3 on PATH for these only)
  const shared = path.join(a.home, '.cache/tfcv-concurrent');
  fs.rmSync(shared, { recursive: true, force: true });
  const lt = path.join(app, 'node_modules/tfcv/scripts/setup/libtensorflow.js');
  const cmd = `node -e 'require(${JSON.stringify(lt)}).resolveSource({ log: () => {} }).then((s) => console.log(s.dir), (e) => { console.error(e.message); process.exit(1); })'`;
  const opts = { cwd: app, bin: binPython, env: { TFCV_CACHE: shared } };
  const [p1, p2] = await Promise.all([
    isolatedAsync(a, cmd, opts),
    new Promise((r) => setTimeout(r, 2000)).then(() => isolatedAsync(a, cmd, opts)),
  ]);
  const libDir = path.join(shared, 'libtensorflow-2.21.0/lib');
  const { elfProblem } = require('../setup/elf-check');
  const whole = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'].every(
    (n) => fs.existsSync(path.join(libDir, n)) && elfProblem(path.join(libDir, n)) === null,
  );
  report(
    'concurrent pip',
    p1.status === 0 && p2.status === 0 && whole,
    `two cold setups on ${shared}: ${p1.status === 0 ? 'ok' : 'FAILED'} in ${p1.seconds.toFixed(1)} s and ${p2.status === 0 ? 'ok' : 'FAILED'} in ${p2.seconds.toFixed(1)} s, libraries ${whole ? 'whole' : 'DAMAGED or missing'}` +
      (p1.status || p2.status ? `\n${lastLines(p1.stderr + p2.stderr)}` : ''),
  );
  fs.rmSync(shared, { recursive: true, force: true });

  const passed = results.filter(Boolean).length;
  console.log(`package: ${passed}/${results.length} scenarios pass`);
  if (process.env.TFCV_KEEP_PKGTEST !== '1') fs.rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
  process.exit(passed === results.length ? 0 : 1);
}

main().catch((e) => {
  console.error(`test:package: ${e.message}`);
  process.exit(1);
});
