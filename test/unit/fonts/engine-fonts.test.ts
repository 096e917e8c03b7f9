/**
 * framesmith's copy of HeyGen's engine fonts: the same files, the same names. The hashes are
 * SHA-256 of the faces the official engine (hyperframes 0.8.170) embeds, per package, weight and
 * style; framesmith's @fontsource dependencies must hold byte-identical latin files.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalFont, CANONICAL_FONTS, FONT_ALIASES, isGenericFamily, ownPackageDir } from '../../../src/fonts/engine-fonts.js';

const ENGINE_FACES: Record<string, string> = {
  '@fontsource/inter:400:normal': '8909904ab6c872eb994093482a88a28eca2cd95912d7b6fecd72103b0dc07edc',
  '@fontsource/inter:700:normal': '6f56409fd3d64bb85f7d070bce20749db2d66b6d63cec586cc22d1c761be2491',
  '@fontsource/inter:900:normal': 'd5c0ed7b8b5dde97d48b97947d740bbd8ad3ba9f2c5cc6b8280f16acba2d828e',
  '@fontsource/montserrat:400:normal': 'e66bcd2761ab6924b25ce70dafe10e57a39193c4fea1516730bd9cb5240af6c8',
  '@fontsource/montserrat:700:normal': 'f9d9e65b15372cebcafc3acd1e664a564c5c4b23278de4d5760de9a13c530371',
  '@fontsource/montserrat:900:normal': '5b6958520638bb8609f9eacb17c4d189563efeae96d5da49f7c2043988697205',
  '@fontsource/outfit:400:normal': '71f028fd2349990b3f8aa643abe767e82e0f596be407ae66f0004ff164121bdb',
  '@fontsource/outfit:700:normal': '5d5e3734089a74707292ce8a3e186def34cd63e33879f9ac3689a8d8da9d0706',
  '@fontsource/outfit:900:normal': '090bdae2e8f2fdc962732c8f918d57c5501737c6826be989bcd770860ec19f85',
  '@fontsource/nunito:400:normal': 'a5906e15ceb68f73d3b2c2076b4057c3f6ed401186d56283b45ce12944ca0735',
  '@fontsource/nunito:700:normal': 'fa89300b9bbb3bd0f60d6991aa055965d98e2ccca27bf8688fe0c39cdc796846',
  '@fontsource/nunito:900:normal': '9ca32f5d8334579387361096944286df451272a557bb09bd906254a623aba99e',
  '@fontsource/oswald:400:normal': 'e902b779e43944c300cf8ae5e4a1affa68cb8a823fd263dd2f479c4cdfbd213c',
  '@fontsource/oswald:700:normal': 'aae665c75af89ea7cb7d8ccc8b0911ea72267442ebcd84f6e3efa041ad3b3c16',
  '@fontsource/league-gothic:400:normal': '44dceee4d918f5928d05ad0711d17e1edd421ce7fd7bed91d05642d8d693a8b1',
  '@fontsource/archivo-black:400:normal': '25f33e61cf995abd6be62931cf03bf427286259177b43618cc410ee0157cfd30',
  '@fontsource/space-mono:400:normal': 'fb4a81a2d0a893e5c38c394a7e716a1cef0b24610a0af49c96f6d529bd66bf2b',
  '@fontsource/space-mono:700:normal': '2d46bd159b53f55c41167a4f1540a074649464194fd1e416f5b4694a6c0f282c',
  '@fontsource/ibm-plex-mono:400:normal': '08949f728dc52d528e69b1667d15c89a5686a4ee9a296ff90983985f99c380f7',
  '@fontsource/ibm-plex-mono:700:normal': '4f84d86cfd060f4ded334358ff8a4c81d4db2ed5addd568359d693f44a87765a',
  '@fontsource/jetbrains-mono:400:normal': '14425ba9c695763c1547f48a206b7aa60350a33ae23de09f0407877f3fcd89eb',
  '@fontsource/jetbrains-mono:700:normal': 'd0d4e818808f2a0ba39b2b09d1989366f63494e295f003c7ef436697378507e8',
  '@fontsource/eb-garamond:400:normal': 'b63448e2680a0dbde70ebb2f3de78f6c515122835491f938e8a8595b46f29210',
  '@fontsource/eb-garamond:700:normal': '5d0f8a497a48fd2a3611d07acc844f65c9fbb35419eafa4e1295f5f0f95f86e4',
  '@fontsource/playfair-display:400:normal': '1fe9ad5d8b2ebd8ecb8fbd05bed1e3fdfa52dae3f1a04e1c219918442fe9394d',
  '@fontsource/playfair-display:700:normal': '28453852ea165c47b5a941be00e418402e1407002ed87507f062a1e316328fe6',
  '@fontsource/playfair-display:900:normal': '2772c56b28bec10f310634732b0554dd6cced8ad0f723bbdf73f6abc53829ad0',
  '@fontsource/source-code-pro:400:normal': '75aa8cacfd459d58d7c093f3ff0ab8745cc878dfc93c5d4cda052791aeace878',
  '@fontsource/source-code-pro:700:normal': '34faf509fa4130733093f36100f76670ff7d93d4889746de11a62a0fe8d82084',
  '@fontsource/noto-sans-jp:400:normal': 'c3ca2d64070bf809fad5aec44a65f65ea88082e1a13faab4ef903f46a8c6f024',
  '@fontsource/noto-sans-jp:700:normal': '1baabeedde8b3dfce0aa05cb784362d9dc42e7cf05abf87d83c9ffc3e8c69fb5',
  '@fontsource/roboto:400:normal': '425c0713a8176f92273d378599c7eac57de7fafabd4bd0ed457b70eb8f80d371',
  '@fontsource/roboto:700:normal': 'b9d66d1708156f765ada51939bc24ed259dafa69eb631b36e443680fe9e15879',
  '@fontsource/roboto:900:normal': '7523c0cc7f5c088ab663be51e111b9429a4f15681802a7e027eb658f497a26a8',
  '@fontsource/open-sans:400:normal': '0e44026ad31376af1b56593cd4acb4f353f8e8789c51759e18f64578e4ef296a',
  '@fontsource/open-sans:700:normal': '594a622208d1dad5d1dd58aef74f212ce7132d8f0aa5bacea6cfeb86d308c17a',
  '@fontsource/lato:400:normal': '918b7dc3e2e2d015c16ce08b57bcb64d2253bafc1707658f361e72865498e537',
  '@fontsource/lato:700:normal': 'c447dd7677b419db7b21dbdfc6277c7816a913ffda76fd2e52702df538de0e49',
  '@fontsource/lato:900:normal': '08664859baab5ed98f0bf818ed77e38464ff1826dc6406d5ecbd651409afbd92',
  '@fontsource/poppins:400:normal': '7d93459d86585bfcdbb7e0376056226adb25821ee54b96236fe2123e9560929f',
  '@fontsource/poppins:700:normal': '9338e65fc077355c7a87ae0d64cc101e23b9bf8ad78ae65f0f319c857311b526',
  '@fontsource/poppins:900:normal': '17ea10196a490a8d3b8da162c7d4af9c301c5229f70af90dad6fa33eb951d83f',
};

describe('engine fonts', () => {
  it("every embedded face the engine has is in framesmith's dependencies, byte for byte (Noto Sans JP excepted: not shipped)", () => {
    for (const [key, sha] of Object.entries(ENGINE_FACES)) {
      const [pkg, weight, style] = key.split(':');
      const font = CANONICAL_FONTS.find((f) => f.package === pkg)!;
      expect(font, key).toBeTruthy();
      expect(font.weights).toContain(Number(weight));
      if (!font.shipped) continue;
      const dir = ownPackageDir(pkg)!;
      const file = join(dir, 'files', `${font.key}-latin-${weight}-${style}.woff2`);
      expect(createHash('sha256').update(readFileSync(file)).digest('hex'), key).toBe(sha);
    }
    const count = CANONICAL_FONTS.reduce((n, f) => n + f.weights.length, 0);
    expect(count).toBe(Object.keys(ENGINE_FACES).length);
  });

  it('maps names as the engine does', () => {
    expect(canonicalFont('Helvetica Neue')?.family).toBe('Inter');
    expect(canonicalFont('"Times New Roman"')?.family).toBe('EB Garamond');
    expect(canonicalFont('Segoe UI')?.family).toBe('Roboto');
    expect(canonicalFont('bebas neue')?.family).toBe('League Gothic');
    expect(canonicalFont('Nunito Sans')).toBeNull();
    expect(FONT_ALIASES.size).toBe(69); // 18 families + 51 other names
    expect(isGenericFamily('-apple-system')).toBe(true);
    expect(isGenericFamily('ui-rounded')).toBe(false);
  });
});
