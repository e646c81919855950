import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { projectMembers } from './server/project-members.js'

export default defineConfig({
  // projectMembers: the dev server also receives the BFF's signed webhook and serves the project members table.
  plugins: [react(), projectMembers()],
  // The MSAL and BFF settings come from VITE_ENTRA_SHARE_* variables (scripts/dev.mjs sets them for the emulator).
  envPrefix: 'VITE_ENTRA_SHARE_',
  server: { strictPort: true },
  // main.tsx awaits MSAL's initialisation at the top level.
  build: { target: 'es2022' },
})
