import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { join } from 'node:path';
import { locatePublicDir } from './public-dir.js';

/** The part of Express' response used to send a file. */
interface FileResponse {
  sendFile(path: string): void;
}

/** The page's own files; nothing else in `public/` is served. */
const ASSETS = new Set(['app.js', 'style.css']);

/** Serves the static page (plain HTML, CSS and JS; no build step). */
@Controller()
export class PageController {
  private readonly publicDir = locatePublicDir();

  @Get()
  @Header('Cache-Control', 'no-store')
  index(@Res() response: FileResponse): void {
    response.sendFile(join(this.publicDir, 'index.html'));
  }

  @Get('assets/:file')
  @Header('Cache-Control', 'no-store')
  asset(@Param('file') file: string, @Res() response: FileResponse): void {
    if (!ASSETS.has(file)) throw new NotFoundException();
    response.sendFile(join(this.publicDir, file));
  }
}
