// Browser bundle entry: esbuild --bundle --platform=browser must build it.
import { ready, tf, norm } from '@tenfold/core';

ready().then((info) => {
  document.body.textContent = `${info.name}: ${norm(tf.tensor([3, 4]))}`;
});
