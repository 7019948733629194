import { defineConfig } from 'vitepress';
import { apiSidebar } from './api-sidebar.js';

export default defineConfig({
  title: 'unlearn',
  description: 'Machine unlearning for TensorFlow.js: JiT, SSD, LF-SSD, retrain baselines and evaluation.',
  // Every page but the Markdown under docs/ (examples, tests and scripts are TypeScript).
  srcExclude: ['README.md', 'test/**', 'browser/**', 'examples/**', 'scripts/**', 'guide/reliability-cases.md'],
  lastUpdated: false,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Algorithms', link: '/algorithms/jit' },
      { text: 'Evaluation', link: '/evaluation' },
      { text: 'Playground', link: '/playground' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: {
      '/api/': apiSidebar(),
      '/': [
        {
          text: 'Guide',
          items: [
            { text: 'Getting started', link: '/guide/getting-started' },
            { text: 'Choosing a method', link: '/guide/choosing-a-method' },
            { text: 'Unlearning your own model (auto)', link: '/guide/auto' },
            { text: 'Data and models', link: '/guide/data-and-models' },
            { text: 'Supported models', link: '/guide/models' },
            { text: 'Setting up a backend', link: '/guide/backends' },
            { text: 'Writing a plugin', link: '/guide/plugins' },
            { text: 'Command line and deletion records', link: '/cli' },
            { text: 'Running on several machines', link: '/guide/several-machines' },
            { text: 'Reliability: guarantees and failure cases', link: '/guide/reliability' },
            { text: 'Troubleshooting: error codes', link: '/guide/troubleshooting' },
          ],
        },
        {
          text: 'Algorithms',
          items: [
            { text: 'JiT (zero-shot)', link: '/algorithms/jit' },
            { text: 'SSD', link: '/algorithms/ssd' },
            { text: 'LF-SSD (label-free)', link: '/algorithms/lf-ssd' },
            { text: 'Retrain and finetune', link: '/algorithms/retrain' },
            { text: 'Amnesiac (random labels)', link: '/algorithms/amnesiac' },
            { text: 'Bad Teacher', link: '/algorithms/bad-teacher' },
            { text: 'NegGrad+', link: '/algorithms/neggrad-plus' },
            { text: 'SalUn (saliency-masked random labels)', link: '/algorithms/salun' },
            { text: 'SCRUB', link: '/algorithms/scrub' },
            { text: 'UNSIR (class forgetting)', link: '/algorithms/unsir' },
          ],
        },
        {
          text: 'Reference',
          items: [
            { text: 'Evaluation protocol and metrics', link: '/evaluation' },
            { text: 'Performance and backends', link: '/performance' },
            { text: 'Architecture', link: '/architecture' },
            { text: 'Playground', link: '/playground' },
            { text: 'API reference', link: '/api/' },
          ],
        },
      ],
    },
    search: { provider: 'local' },
    outline: { level: [2, 3] },
  },
  markdown: { math: false },
  vite: {
    resolve: {
      // Build from the packages' TypeScript sources, like the tests: no package build needed.
      conditions: ['@unlearn/source'],
    },
    ssr: { resolve: { conditions: ['@unlearn/source'], externalConditions: ['@unlearn/source'] } },
    build: { chunkSizeWarningLimit: 4096 },
  },
});
